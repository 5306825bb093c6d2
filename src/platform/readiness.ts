// What /readyz asks of each dependency (upstream, Redis): the checks are built where the dependency lives.

/** One readiness dependency: resolves when healthy, rejects (or resolves false) when not. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<boolean>;
}
