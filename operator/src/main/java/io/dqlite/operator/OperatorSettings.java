package io.dqlite.operator;

import io.dqlite.operator.dependents.ClusterNames;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The operator's settings, from its environment; every default is here.
 *
 * @param clusterDomain {@code DQLITE_OPERATOR_CLUSTER_DOMAIN}, default {@code cluster.local}: pod
 *     addresses end in {@code .svc.<domain>}
 * @param watchNamespaces {@code WATCH_NAMESPACES}, comma-separated; empty (default) watches every
 *     namespace
 * @param leaderElection {@code LEADER_ELECTION_ENABLED}, default true: only the holder of the Lease
 *     {@link #LEASE_NAME} reconciles
 * @param operatorNamespace {@code OPERATOR_NAMESPACE}: where the Lease lives; empty means the
 *     client's namespace (in a pod: its own)
 * @param identity {@code POD_NAME}, else {@code HOSTNAME}, else a random id: the Lease holder's
 *     name and the Events' reporting instance
 * @param logFormat {@code LOG_FORMAT}, {@code plain} (default) or {@code json}
 * @param httpPort {@code DQLITE_OPERATOR_HTTP_PORT}, default 8080: {@code /livez}, {@code /readyz},
 *     {@code /metrics}
 * @param httpHost {@code DQLITE_OPERATOR_HTTP_HOST}, default {@code 0.0.0.0}: the address they
 *     listen on; set it to the pod IP where pods share one network (localkube)
 * @param operatorPodLabels {@code DQLITE_OPERATOR_POD_LABELS}, {@code key=value} pairs separated by
 *     commas, default {@code app.kubernetes.io/name=dqlite-operator}: labels of the operator's own
 *     pods, which each cluster's NetworkPolicy admits to ports 9001 and 8081 (from {@code
 *     operatorNamespace})
 */
public record OperatorSettings(
    String clusterDomain,
    Set<String> watchNamespaces,
    boolean leaderElection,
    Optional<String> operatorNamespace,
    String identity,
    LogFormat logFormat,
    int httpPort,
    String httpHost,
    Map<String, String> operatorPodLabels) {

  public static final String ENV_CLUSTER_DOMAIN = "DQLITE_OPERATOR_CLUSTER_DOMAIN";
  public static final String ENV_WATCH_NAMESPACES = "WATCH_NAMESPACES";
  public static final String ENV_LEADER_ELECTION = "LEADER_ELECTION_ENABLED";
  public static final String ENV_OPERATOR_NAMESPACE = "OPERATOR_NAMESPACE";
  public static final String ENV_POD_NAME = "POD_NAME";
  public static final String ENV_LOG_FORMAT = "LOG_FORMAT";
  public static final String ENV_HTTP_PORT = "DQLITE_OPERATOR_HTTP_PORT";
  public static final String ENV_HTTP_HOST = "DQLITE_OPERATOR_HTTP_HOST";
  public static final String ENV_POD_LABELS = "DQLITE_OPERATOR_POD_LABELS";

  /** The operator pods' labels when {@link #ENV_POD_LABELS} is not set (the chart's name label). */
  public static final Map<String, String> DEFAULT_POD_LABELS =
      Map.of(ClusterNames.NAME_LABEL, ClusterNames.MANAGER);

  private static final java.util.regex.Pattern LABEL_KEY =
      java.util.regex.Pattern.compile(
          "([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
  private static final java.util.regex.Pattern LABEL_VALUE =
      java.util.regex.Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");

  /** The leader-election Lease, in the operator's namespace. */
  public static final String LEASE_NAME = "dqlite-operator";

  public static final int DEFAULT_HTTP_PORT = 8080;

  /** Log line formats. */
  public enum LogFormat {
    PLAIN,
    JSON;

    /** The name logback's configuration selects the appender by. */
    public String appender() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public OperatorSettings {
    watchNamespaces = Set.copyOf(watchNamespaces);
    operatorPodLabels = Map.copyOf(operatorPodLabels);
  }

  /**
   * The settings of an environment.
   *
   * @throws IllegalArgumentException naming the variable and the accepted values
   */
  public static OperatorSettings fromEnvironment(Map<String, String> env) {
    String domain = value(env, ENV_CLUSTER_DOMAIN).orElse(ClusterNames.DEFAULT_CLUSTER_DOMAIN);
    Set<String> namespaces =
        value(env, ENV_WATCH_NAMESPACES)
            .map(
                v ->
                    Arrays.stream(v.split(","))
                        .map(String::strip)
                        .filter(s -> !s.isEmpty())
                        .collect(Collectors.toCollection(TreeSet::new)))
            .orElseGet(TreeSet::new);
    for (String ns : namespaces) {
      if (!ns.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
        throw new IllegalArgumentException(
            ENV_WATCH_NAMESPACES
                + ": \""
                + ns
                + "\" is not a namespace name (comma-separated"
                + " names, or empty for every namespace)");
      }
    }
    boolean leaderElection =
        value(env, ENV_LEADER_ELECTION).map(v -> bool(ENV_LEADER_ELECTION, v)).orElse(true);
    String identity =
        value(env, ENV_POD_NAME)
            .or(() -> value(env, "HOSTNAME"))
            .orElseGet(() -> "dqlite-operator-" + UUID.randomUUID());
    LogFormat format =
        value(env, ENV_LOG_FORMAT)
            .map(
                v -> {
                  try {
                    return LogFormat.valueOf(v.toUpperCase(Locale.ROOT));
                  } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(
                        ENV_LOG_FORMAT + ": \"" + v + "\" is not plain or json", e);
                  }
                })
            .orElse(LogFormat.PLAIN);
    int port =
        value(env, ENV_HTTP_PORT)
            .map(
                v -> {
                  try {
                    int p = Integer.parseInt(v);
                    if (p < 0 || p > 65535) {
                      throw new NumberFormatException();
                    }
                    return p;
                  } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(
                        ENV_HTTP_PORT + ": \"" + v + "\" is not a port (0-65535)", e);
                  }
                })
            .orElse(DEFAULT_HTTP_PORT);
    return new OperatorSettings(
        domain,
        namespaces,
        leaderElection,
        value(env, ENV_OPERATOR_NAMESPACE),
        identity,
        format,
        port,
        value(env, ENV_HTTP_HOST).orElse("0.0.0.0"),
        value(env, ENV_POD_LABELS).map(OperatorSettings::labels).orElse(DEFAULT_POD_LABELS));
  }

  /** {@code key=value,key=value}, each a valid label; at least one. */
  static Map<String, String> labels(String value) {
    Map<String, String> labels = new java.util.TreeMap<>();
    for (String pair : value.split(",")) {
      String p = pair.strip();
      int eq = p.indexOf('=');
      String key = eq < 0 ? p : p.substring(0, eq).strip();
      String label = eq < 0 ? null : p.substring(eq + 1).strip();
      if (p.isEmpty()
          || label == null
          || !LABEL_KEY.matcher(key).matches()
          || !LABEL_VALUE.matcher(label).matches()) {
        throw new IllegalArgumentException(
            ENV_POD_LABELS
                + ": \""
                + p
                + "\" is not a label key=value (expected e.g."
                + " app.kubernetes.io/name=dqlite-operator,app.kubernetes.io/instance=dqlite-operator)");
      }
      labels.put(key, label);
    }
    return labels;
  }

  /** {@code DQLITE_OPERATOR_CLUSTER_DOMAIN} of this process, default {@code cluster.local}. */
  public static String environmentClusterDomain() {
    return value(System.getenv(), ENV_CLUSTER_DOMAIN).orElse(ClusterNames.DEFAULT_CLUSTER_DOMAIN);
  }

  private static Optional<String> value(Map<String, String> env, String name) {
    return Optional.ofNullable(env.get(name)).map(String::strip).filter(v -> !v.isEmpty());
  }

  private static boolean bool(String name, String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes" -> true;
      case "false", "0", "no" -> false;
      default ->
          throw new IllegalArgumentException(name + ": \"" + value + "\" is not true or false");
    };
  }
}
