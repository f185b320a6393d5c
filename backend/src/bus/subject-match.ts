/** Whether `subject` matches `pattern` in NATS syntax (`*` one token, `>` one or more at the end). */
export function subjectMatches(pattern: string, subject: string): boolean {
  const want = pattern.split('.');
  const got = subject.split('.');
  for (let index = 0; index < want.length; index++) {
    const token = want[index];
    if (token === '>') return got.length > index;
    if (index >= got.length) return false;
    if (token !== '*' && token !== got[index]) return false;
  }
  return want.length === got.length;
}
