import type WebSocket from 'ws';
import type { ClientTransport } from './client-transport';

/** A client over WebSocket: each message is one text frame of the shared bytes. */
export class WsTransport implements ClientTransport {
  readonly kind = 'ws';

  constructor(readonly socket: WebSocket) {}

  get bufferedAmount(): number {
    return this.socket.bufferedAmount;
  }

  get isOpen(): boolean {
    return this.socket.readyState === this.socket.OPEN;
  }

  send(bytes: Buffer): void {
    this.socket.send(bytes, { binary: false });
  }

  close(code: number, reason: string): void {
    this.socket.close(code, reason);
  }

  terminate(): void {
    this.socket.terminate();
  }

  onClose(listener: () => void): void {
    this.socket.once('close', listener);
  }
}
