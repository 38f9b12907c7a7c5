package io.dqlite.sidecar.roles;

/**
 * What {@link RolesChanges} aims for: how many voters and stand-bys, and which of go-dqlite's later
 * failure-domain improvements to use.
 *
 * <p>{@link #defaults()} is what the sidecar's App uses: 3 voters, 3 stand-bys, both improvements
 * on, so that nodes spread over Kubernetes zones end with their voters in distinct zones whatever
 * order they joined in. {@link #goDqlite1119(int, int)} gives exactly go-dqlite v1.11.9's
 * algorithm. docs/go-dqlite-differences.md records why.
 *
 * @param voters target number of online voters; odd and at least 3 (go-dqlite's {@code WithVoters},
 *     default 3)
 * @param standBys target number of online stand-bys, at least 0 (go-dqlite's {@code WithStandBys},
 *     default 3)
 * @param rebalanceDomains go-dqlite v1.21.0's rule: when some failure domain with online nodes has
 *     no voter while another domain holds two or more, promote a node of the voterless domain (the
 *     next adjustment then demotes a voter from a crowded domain). Default on. Requires {@code
 *     demoteFromCrowdedDomains}, without which the demotion could undo the promotion forever
 * @param demoteFromCrowdedDomains go-dqlite v1.21.0's demotion order for excess voters: voters of
 *     the domain holding the most online voters first, and within a domain the higher weight first.
 *     Unlike v1.21.0 the leader counts towards its domain's size (see the differences document).
 *     Default on; off gives v1.11.9's order, the listing order
 */
public record RolesConfig(
    int voters, int standBys, boolean rebalanceDomains, boolean demoteFromCrowdedDomains) {

  /** go-dqlite's default target of voters. */
  public static final int DEFAULT_VOTERS = 3;

  /** go-dqlite's default target of stand-bys. */
  public static final int DEFAULT_STANDBYS = 3;

  /** The rule every target of voters obeys, as errors state it. */
  public static final String VOTERS_RULE = "must be an odd number greater than 1 (3, 5, 7...)";

  /** The rule every target of stand-bys obeys, as errors state it. */
  public static final String STANDBYS_RULE = "must be 0 or more";

  public RolesConfig {
    if (!validVoters(voters)) {
      throw new IllegalArgumentException("invalid voters " + voters + ": " + VOTERS_RULE);
    }
    if (!validStandBys(standBys)) {
      throw new IllegalArgumentException("invalid stand-bys " + standBys + ": " + STANDBYS_RULE);
    }
    if (rebalanceDomains && !demoteFromCrowdedDomains) {
      throw new IllegalArgumentException(
          "rebalanceDomains needs demoteFromCrowdedDomains: demoting in listing order could demote"
              + " the voter the rebalance just promoted, and the two rules would undo each other"
              + " forever; turn both on, or both off for go-dqlite v1.11.9's algorithm");
    }
  }

  /**
   * Whether {@code voters} obeys {@link #VOTERS_RULE}: an even number of voters loses its quorum as
   * soon as half of them fail, and a single voter is no replication.
   */
  public static boolean validVoters(int voters) {
    return voters >= 3 && voters % 2 == 1;
  }

  /** Whether {@code standBys} obeys {@link #STANDBYS_RULE}. */
  public static boolean validStandBys(int standBys) {
    return standBys >= 0;
  }

  /** 3 voters, 3 stand-bys, domain rebalance and crowded-domain demotion on. */
  public static RolesConfig defaults() {
    return of(DEFAULT_VOTERS, DEFAULT_STANDBYS);
  }

  /** The given targets with this project's defaults: both failure-domain improvements on. */
  public static RolesConfig of(int voters, int standBys) {
    return new RolesConfig(voters, standBys, true, true);
  }

  /** The given targets with exactly go-dqlite v1.11.9's algorithm: both improvements off. */
  public static RolesConfig goDqlite1119(int voters, int standBys) {
    return new RolesConfig(voters, standBys, false, false);
  }
}
