// What `verifyEvidence` reports: one named result per check, so a caller sees exactly what failed.

/** One check of an evidence bundle. */
export interface EvidenceCheck {
  /** What was checked, e.g. `contract.contentHash`, `signatures[1].signature`, `anchors[0].onChain`. */
  check: string;
  ok: boolean;
  /** What was found; the reasons when `ok` is false. */
  detail: string;
}

export interface EvidenceVerification {
  /** True only when every check passed. */
  valid: boolean;
  /** Every check run, in order. */
  checks: EvidenceCheck[];
  /** Whether the anchors were checked on chain (a `client` was given), not only against their proofs. */
  chainChecked: boolean;
}

/** The problems a check found (none: it passed), and what to report when it passed. */
export interface Outcome {
  problems: string[];
  detail: string;
}

/** Collects checks as a verifier runs them. */
export class CheckList {
  readonly checks: EvidenceCheck[] = [];

  /**
   * Runs one check and records it; an exception inside becomes a failure of that check, never a throw,
   * so a malformed bundle cannot stop the verifier.
   */
  async run(check: string, body: () => Outcome | Promise<Outcome>): Promise<boolean> {
    let result: Outcome;
    try {
      result = await body();
    } catch (error) {
      result = {
        problems: [`could not be checked: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`],
        detail: '',
      };
    }
    const ok = result.problems.length === 0;
    this.checks.push({ check, ok, detail: ok ? result.detail : result.problems.join('; ') });
    return ok;
  }
}
