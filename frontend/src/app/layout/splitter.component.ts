import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { LayoutService, PANE_LIMITS, type PaneName } from './layout.service';

const KEY_STEP = 16;

/**
 * A drag handle between two panes that resizes `pane`: vertical handles change a width, horizontal
 * ones a height. `direction` 1 grows the pane when dragged right/down, -1 when dragged left/up.
 * Keyboard: focus it and use the arrow keys.
 */
@Component({
  selector: 'tw-splitter',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: '',
  styles: `
    :host {
      flex: none;
      background: var(--border);
      touch-action: none;
      outline: none;
    }
    :host(.vertical) {
      width: 4px;
      cursor: col-resize;
    }
    :host(.horizontal) {
      height: 4px;
      cursor: row-resize;
    }
    :host(:hover),
    :host(:focus-visible),
    :host(.dragging) {
      background: var(--accent);
    }
  `,
  host: {
    role: 'separator',
    tabindex: '0',
    '[class.vertical]': "orientation() === 'vertical'",
    '[class.horizontal]': "orientation() === 'horizontal'",
    '[attr.aria-orientation]': 'orientation()',
    '[attr.aria-label]': "'Resize ' + pane()",
    '[attr.aria-valuenow]': 'size()',
    '[attr.aria-valuemin]': 'limits()[0]',
    '[attr.aria-valuemax]': 'limits()[1]',
    '[attr.data-testid]': "'splitter-' + pane()",
    '(pointerdown)': 'start($event)',
    '(keydown)': 'key($event)',
    '(dblclick)': 'layout.reset()',
  },
})
export class SplitterComponent {
  readonly pane = input.required<PaneName>();
  readonly orientation = input.required<'vertical' | 'horizontal'>();
  readonly direction = input<1 | -1>(1);

  protected readonly layout = inject(LayoutService);
  protected readonly size = computed(() => this.layout.sizes()[this.pane()]);
  protected readonly limits = computed(() => PANE_LIMITS[this.pane()]);

  protected start(event: PointerEvent): void {
    const element = event.currentTarget as HTMLElement;
    element.setPointerCapture(event.pointerId);
    element.classList.add('dragging');
    const origin = this.orientation() === 'vertical' ? event.clientX : event.clientY;
    const initial = this.size();
    const move = (moveEvent: PointerEvent): void => {
      const position = this.orientation() === 'vertical' ? moveEvent.clientX : moveEvent.clientY;
      this.layout.resize(this.pane(), initial + this.direction() * (position - origin));
    };
    const end = (): void => {
      element.classList.remove('dragging');
      element.removeEventListener('pointermove', move);
      element.removeEventListener('pointerup', end);
      element.removeEventListener('pointercancel', end);
    };
    element.addEventListener('pointermove', move);
    element.addEventListener('pointerup', end);
    element.addEventListener('pointercancel', end);
    event.preventDefault();
  }

  protected key(event: KeyboardEvent): void {
    const grow = this.orientation() === 'vertical' ? ['ArrowRight', 'ArrowLeft'] : ['ArrowDown', 'ArrowUp'];
    const index = grow.indexOf(event.key);
    if (index < 0) return;
    event.preventDefault();
    const sign = index === 0 ? 1 : -1;
    this.layout.resize(this.pane(), this.size() + sign * this.direction() * KEY_STEP);
  }
}
