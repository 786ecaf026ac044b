// Misbehaviour on demand, so tests can prove the client survives what real servers do.

export type FaultRule = {
  method?: string;
  /** Matched against the request path. */
  path?: RegExp;
  /** How many matching requests this rule still affects. */
  remaining: number;
  /** `status`: answer with it and do nothing; `drop-after`: do the work, then cut the connection
   * without an answer; `drop-before`: cut it before doing anything; `delay`: do the work late
   * (still done when the client gave up meanwhile); `wrong-id`: POST /tracks answers with another
   * track's id. */
  kind: 'status' | 'drop-after' | 'drop-before' | 'delay' | 'wrong-id';
  status?: number;
  retryAfterSeconds?: number;
  delayMs?: number;
};

export class FaultPlan {
  private rules: FaultRule[] = [];

  add(rule: Omit<FaultRule, 'remaining'> & {count?: number}): void {
    this.rules.push({...rule, remaining: rule.count ?? 1});
  }

  failNext(method: string, path: RegExp, count: number, status = 503, retryAfterSeconds?: number): void {
    this.add({method, path, count, kind: 'status', status, retryAfterSeconds});
  }

  dropAfterWork(method: string, path: RegExp, count = 1): void {
    this.add({method, path, count, kind: 'drop-after'});
  }

  delay(method: string, path: RegExp, delayMs: number, count = 1): void {
    this.add({method, path, count, kind: 'delay', delayMs});
  }

  clear(): void {
    this.rules = [];
  }

  /** Takes the first rule that matches this request, using one of its turns. */
  take(method: string, path: string): FaultRule | null {
    const rule = this.rules.find((candidate) => candidate.remaining > 0 && (!candidate.method || candidate.method === method) && (!candidate.path || candidate.path.test(path)));
    if (!rule) return null;
    rule.remaining--;
    return rule;
  }
}
