package io.dqlite.sidecar.api;

import io.dqlite.sidecar.roles.RolesConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Every setting of {@code dqlite-sidecar run}, declared once: its flag, its environment variable,
 * its default, how its text parses, the rule its value obeys and what it means. The sidecar's
 * command line and options, the operator's container environment and the README's flag table are
 * all built from this enum.
 *
 * <p>A value is parsed ({@link #parse}: text to a typed value, an error naming the flag when it is
 * not of the kind) and checked ({@link #check}: the rule, an error naming the flag, the variable
 * and what is accepted) separately, so that options given as typed values in code obey the same
 * rule as flags. Rules that tie two settings together (snapshot threshold and trailing, TLS files,
 * admin auth and token file) are the sidecar's {@code SidecarOptions}'; so is the range of the
 * snapshot settings, which only the pair has.
 */
public enum SidecarSetting {
  DIR(
      flag("--dir", "DIR")
          .path()
          .defaults("/var/lib/dqlite")
          .means("data directory: info.yaml, cluster.yaml, raft log")),
  ADDRESS(
      flag("--address", "HOST:PORT")
          .rule(SidecarSetting::isHostPort, "expected host:port with a port of 1 to 65535")
          .defaultText(
              "`$POD_NAME.$DQLITE_SERVICE.$POD_NAMESPACE.svc.$DQLITE_CLUSTER_DOMAIN:"
                  + SidecarPorts.RAFT
                  + "` (domain default `"
                  + PodVariables.DEFAULT_CLUSTER_DOMAIN
                  + "`) when those are set; else, on a restart, the one in `DIR/info.yaml`; else"
                  + " required")
          .means(
              "this node's stable `host:port`, the same on every start and known by this exact"
                  + " string everywhere")),
  JOIN(
      flag("--join", "SEEDS")
          .list()
          .means(
              "comma-separated seeds for the first start: `host:port` or `dns:NAME[:port]` (see"
                  + " Joining); this node's own address is dropped; none left bootstraps a new"
                  + " cluster")),
  CLUSTER_ID(
      flag("--cluster-id", "ID")
          .defaultText("none: no check")
          .means(
              "the cluster's identity, written into `DIR` on the first start; a `DIR` holding"
                  + " another one is refused (the operator passes its `status.identity`)")),
  CLUSTER_EXISTS(
      flag("--cluster-exists", "true|false")
          .choices("true", "false")
          .defaults("false")
          .means(
              "`true`: the cluster already exists, so an empty `DIR` with no seed left is refused"
                  + " instead of bootstrapping a second cluster under the same name")),
  VOTERS(
      flag("--voters", "N")
          .integer()
          .defaults(RolesConfig.DEFAULT_VOTERS)
          .rule(v -> RolesConfig.validVoters((Integer) v), RolesConfig.VOTERS_RULE)
          .means("target voters, odd, ≥ 3")),
  STANDBYS(
      flag("--standbys", "N")
          .integer()
          .defaults(RolesConfig.DEFAULT_STANDBYS)
          .rule(v -> RolesConfig.validStandBys((Integer) v), RolesConfig.STANDBYS_RULE)
          .means("target stand-bys")),
  ZONE(
      flag("--zone", "ZONE")
          .defaultText("from the pod's labels, then the Node's")
          .means("this node's zone (see Zones)")),
  ZONE_LABEL(
      flag("--zone-label", "LABEL")
          .defaults("topology.kubernetes.io/zone")
          .means("the label holding the zone")),
  NODE_NAME(
      flag("--node-name", "NODE")
          .env("NODE_NAME")
          .means("the pod's node (`spec.nodeName`), to read the Node's zone label")),
  POD_LABELS_FILE(
      flag("--pod-labels-file", "FILE")
          .path()
          .defaults("/etc/podinfo/labels")
          .means("downward-API file of the pod's labels (skipped when absent)")),
  FAILURE_DOMAIN(
      flag("--failure-domain", "N")
          .longInteger()
          .rule(v -> (Long) v >= 0, "must be 0 or more")
          .defaultText("FNV-1a of the zone")
          .means("explicit failure domain, overrides the zone's")),
  APP_SOCKET(
      flag("--app-socket", "@NAME|PATH")
          .defaults("@dqlite")
          .rule(
              v -> ((String) v).startsWith("/") || ((String) v).matches("@.+"),
              "give @name (an abstract unix socket, with a name) or an absolute path")
          .means("`@name` (abstract unix socket) or an absolute path (socket file, mode 0660)")),
  APP_SOCKET_MAX_REQUEST(
      flag("--app-socket-max-request", "BYTES")
          .size()
          .defaults("64MiB")
          .rule(v -> (Long) v >= 8, "must be at least 8 bytes")
          .means(
              "largest request on the app socket (bytes, or KiB/MiB/GiB); a larger one is refused"
                  + " (SQLITE_TOOBIG) before its body is read, and the connection closed")),
  APP_SOCKET_IDLE_TIMEOUT(
      flag("--app-socket-idle-timeout", "DURATION")
          .positiveDuration()
          .defaults("1h")
          .means("closes an app-socket connection with no request for this long")),
  APP_SOCKET_FRAME_TIMEOUT(
      flag("--app-socket-frame-timeout", "DURATION")
          .positiveDuration()
          .defaults("30s")
          .means(
              "closes an app-socket connection whose request (or handshake) does not finish"
                  + " arriving within this")),
  APP_SOCKET_WRITE_TIMEOUT(
      flag("--app-socket-write-timeout", "DURATION")
          .positiveDuration()
          .defaults("30s")
          .means(
              "closes an app-socket connection whose application stops reading its answers for"
                  + " this long")),
  APP_SOCKET_MEMBERSHIP(
      flag("--app-socket-membership", "refuse|allow")
          .choices("refuse", "allow")
          .defaults("refuse")
          .means(
              "`allow` forwards add, assign, remove and transfer from the app socket; `refuse`"
                  + " answers them with a failure (the operator owns membership)")),
  ADMIN_ADDRESS(
      flag("--admin-address", "HOST:PORT")
          .defaults("0.0.0.0:" + SidecarPorts.ADMIN)
          .rule(SidecarSetting::isHostPort, "expected host:port with a port of 1 to 65535")
          .means("admin HTTP server: /livez /readyz /metrics /cluster /handover")),
  ADMIN_TOKEN_FILE(
      flag("--admin-token-file", "FILE")
          .path()
          .defaultText("none: `/cluster` and `/handover` refuse every call (403)")
          .means(
              "file holding the bearer token `/cluster` and `/handover` require (the operator"
                  + " mounts its `<cluster>-admin` Secret); re-read on each call")),
  ADMIN_AUTH(
      flag("--admin-auth", "token|none")
          .choices("token", "none")
          .defaults("token")
          .means(
              "`none`: serve `/cluster` and `/handover` to anyone, unauthenticated (an explicit"
                  + " opt-out, e.g. for a laptop; excludes `--admin-token-file`)")),
  ROLES_ADJUSTMENT_FREQUENCY(
      flag("--roles-adjustment-frequency", "DURATION")
          .positiveDuration()
          .defaults("30s")
          .means("how often the leader adjusts roles")),
  NETWORK_LATENCY(
      flag("--network-latency", "DURATION")
          .duration()
          .defaults("0")
          .rule(v -> !((Duration) v).isNegative(), "must not be negative")
          .defaultText("libdqlite's")
          .means("average one-way latency between nodes")),
  SNAPSHOT_THRESHOLD(
      flag("--snapshot-threshold", "N")
          .integer()
          .defaults(384)
          .means(
              "raft entries between snapshots (both 0: libdqlite's 1024 + 8192); set alone, the"
                  + " trailing entries follow it (at least 384)")),
  SNAPSHOT_TRAILING(
      flag("--snapshot-trailing", "N")
          .integer()
          .defaults(384)
          .means(
              "raft entries kept after a snapshot, at least the threshold (set alone, the"
                  + " threshold follows it, at most 384); bounds the memory of the raft log"
                  + " (docs/sidecar.md, Footprint)")),
  TLS_CERT(
      flag("--tls-cert", "FILE")
          .path()
          .defaultText("none (plain TCP)")
          .means(
              "PEM certificate for mutual TLS between nodes, with `--tls-key` and `--tls-ca`:"
                  + " all three or none")),
  TLS_KEY(
      flag("--tls-key", "FILE")
          .path()
          .defaultText("none (plain TCP)")
          .means("PEM private key of `--tls-cert`")),
  TLS_CA(
      flag("--tls-ca", "FILE")
          .path()
          .defaultText("none (plain TCP)")
          .means("PEM authorities the nodes' certificates must chain to")),
  HANDOVER_TIMEOUT(
      flag("--handover-timeout", "DURATION")
          .positiveDuration()
          .defaults("60s")
          .means("deadline of a handover (POST /handover, SIGTERM); the App caps it at 60 s")),
  MIN_FREE_DISK(
      flag("--min-free-disk", "BYTES")
          .size()
          .defaults("64MiB")
          .rule(v -> (Long) v >= 0, "must be 0 or more")
          .means(
              "below this much free space in `DIR` (bytes, or KiB/MiB/GiB) the node is unfit: it"
                  + " hands leadership and its voter role over and weighs itself last until 25%"
                  + " more is free (docs/reliability.md); 0: never")),
  STATUS_INTERVAL(
      flag("--status-interval", "DURATION")
          .positiveDuration()
          .defaults("5s")
          .means(
              "how often the cluster view behind /readyz and /metrics is refreshed (every 1 s"
                  + " until the first success)")),
  DISK_MODE(
      flag("--disk-mode", "true|false")
          .choices("true", "false")
          .defaults("false")
          .means(
              "keep the database on disk instead of in memory; needs libdqlite 1.18 (on 1.11.1 the"
                  + " node does not start, naming the missing call; docs/native.md, Engines)")),
  AUTO_RECOVERY(
      flag("--auto-recovery", "true|false")
          .choices("true", "false")
          .defaultText("libdqlite's (1.18: on)")
          .means(
              "let libdqlite delete raft files it finds corrupt at start (more starts succeed,"
                  + " possibly losing entries); needs libdqlite 1.18")),
  SNAPSHOT_COMPRESSION(
      flag("--snapshot-compression", "true|false")
          .choices("true", "false")
          .defaultText("off on libdqlite 1.18 (whose own default is on); not passed on 1.11.1")
          .means(
              "compress raft snapshots (LZ4); needs libdqlite 1.18 (docs/native.md, Two"
                  + " engines)")),
  LOG_FORMAT(
      flag("--log-format", "plain|json")
          .choices("plain", "json")
          .defaults("plain")
          .means("`plain` or `json` (logback's JsonEncoder, one object per line)")),
  LOG_LEVEL(flag("--log-level", "LEVEL").defaults("info").means("root log level"));

  private final Declaration d;

  SidecarSetting(Declaration declaration) {
    this.d = declaration;
  }

  /** The long flag, with its dashes: {@code --voters}. */
  public String flag() {
    return d.flag;
  }

  /**
   * The environment variable that sets it when the flag is absent: {@code DQLITE_} and the flag in
   * upper snake case ({@code DQLITE_VOTERS}), except where a convention says otherwise ({@code
   * NODE_NAME}).
   */
  public String env() {
    return d.env != null
        ? d.env
        : "DQLITE_" + d.flag.substring(2).replace('-', '_').toUpperCase(Locale.ROOT);
  }

  /** What the value looks like in the usage help: {@code N}, {@code HOST:PORT}. */
  public String paramLabel() {
    return d.label;
  }

  /** The default as text, the form a flag takes; empty when there is none. */
  public Optional<String> defaultValue() {
    return Optional.ofNullable(d.defaultValue);
  }

  /** The default as the documentation states it (Markdown). */
  public String defaultText() {
    if (d.defaultText != null) {
      return d.defaultText;
    }
    return d.defaultValue == null ? "none" : "`" + d.defaultValue + "`";
  }

  /** What it means (Markdown). */
  public String description() {
    return d.description;
  }

  /** The accepted values of a setting that has a fixed set of them, lower case; else empty. */
  public List<String> choices() {
    return d.choices;
  }

  /** The description and the default as the usage help prints them (no Markdown). */
  public String help() {
    return plain(d.description) + " (default: " + plain(defaultText()) + "; env " + env() + ")";
  }

  /**
   * The typed value of {@code text}: {@link String}, {@link Path}, {@link Integer}, {@link Long}
   * (also sizes, in bytes), {@link Duration}, a {@code List<String>} (a comma-separated list,
   * blanks dropped) or, for choices, the choice in lower case. Not checked against the rule: see
   * {@link #check}.
   *
   * @throws IllegalArgumentException naming the flag when the text is not of the setting's kind
   */
  public Object parse(String text) {
    return d.kind.parse(this, text);
  }

  /** The typed default ({@link #parse} of {@link #defaultValue()}), or null when there is none. */
  public Object defaultParsed() {
    return d.defaultValue == null ? null : parse(d.defaultValue);
  }

  /**
   * {@code value}, when it obeys the setting's rule (null, "not set", always does).
   *
   * @throws IllegalArgumentException naming the flag, its variable and what is accepted
   */
  public <T> T check(T value) {
    if (value != null && !d.rule.test(value)) {
      throw new IllegalArgumentException(
          d.flag
              + " "
              + show(value)
              + ": "
              + d.ruleText
              + " (set by "
              + d.flag
              + " or "
              + env()
              + ")");
    }
    return value;
  }

  /** The setting whose flag is {@code flag} (with its dashes). */
  public static Optional<SidecarSetting> forFlag(String flag) {
    return Arrays.stream(values()).filter(s -> s.d.flag.equals(flag)).findFirst();
  }

  /** The README's table of flags: one row per setting, in declaration order. */
  public static String markdownTable() {
    StringBuilder b = new StringBuilder();
    b.append("| Flag | Environment | Default | Meaning |\n");
    b.append("|---|---|---|---|\n");
    for (SidecarSetting s : values()) {
      b.append("| `")
          .append(s.flag())
          .append("` | `")
          .append(s.env())
          .append("` | ")
          .append(s.defaultText())
          .append(" | ")
          .append(s.description())
          .append(" |\n");
    }
    return b.toString();
  }

  private static String plain(String markdown) {
    return markdown.replace("`", "");
  }

  private static String show(Object value) {
    if (value instanceof Duration duration) {
      return Durations.format(duration);
    }
    return String.valueOf(value);
  }

  private static boolean isHostPort(Object value) {
    String v = (String) value;
    int colon = v.lastIndexOf(':');
    if (colon <= 0 || colon == v.length() - 1) {
      return false;
    }
    try {
      int port = Integer.parseInt(v.substring(colon + 1));
      return port >= 1 && port <= 65535;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static Declaration flag(String flag, String label) {
    return new Declaration(flag, label);
  }

  /** How values of a setting are written. */
  private enum Kind {
    TEXT,
    PATH,
    INT,
    LONG,
    SIZE,
    DURATION,
    LIST,
    CHOICE;

    Object parse(SidecarSetting s, String text) {
      if (text == null) {
        return null;
      }
      String t = text.strip();
      try {
        return switch (this) {
          case TEXT -> text;
          case PATH -> Path.of(t);
          case INT -> Integer.valueOf(t);
          case LONG -> Long.valueOf(t);
          case SIZE -> Sizes.parse(t, s.flag());
          case DURATION -> Durations.parse(t);
          case LIST ->
              Arrays.stream(t.split(",")).map(String::strip).filter(x -> !x.isEmpty()).toList();
          case CHOICE -> choice(s, t);
        };
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            s.flag()
                + " "
                + text
                + ": expected a whole number (set by "
                + s.flag()
                + " or "
                + s.env()
                + ")");
      } catch (java.nio.file.InvalidPathException e) {
        throw new IllegalArgumentException(
            s.flag() + " " + text + ": not a path: " + e.getReason());
      } catch (IllegalArgumentException e) {
        String m = e.getMessage();
        throw new IllegalArgumentException(
            m.startsWith(s.flag()) ? m : s.flag() + " " + text + ": " + m, e);
      }
    }

    private static String choice(SidecarSetting s, String text) {
      String v = text.toLowerCase(Locale.ROOT);
      if (!s.d.choices.contains(v)) {
        throw new IllegalArgumentException("expected one of " + String.join(", ", s.d.choices));
      }
      return v;
    }
  }

  /** One setting's declaration, written as a chain in the constants above. */
  private static final class Declaration {
    final String flag;
    final String label;
    String env;
    Kind kind = Kind.TEXT;
    String defaultValue;
    String defaultText;
    Predicate<Object> rule = v -> true;
    String ruleText = "";
    List<String> choices = List.of();
    String description = "";

    Declaration(String flag, String label) {
      this.flag = flag;
      this.label = label;
    }

    Declaration env(String variable) {
      env = variable;
      return this;
    }

    Declaration path() {
      kind = Kind.PATH;
      return this;
    }

    Declaration integer() {
      kind = Kind.INT;
      return this;
    }

    Declaration longInteger() {
      kind = Kind.LONG;
      return this;
    }

    Declaration size() {
      kind = Kind.SIZE;
      return this;
    }

    Declaration list() {
      kind = Kind.LIST;
      return this;
    }

    Declaration duration() {
      kind = Kind.DURATION;
      return this;
    }

    Declaration positiveDuration() {
      kind = Kind.DURATION;
      return rule(
          v -> !((Duration) v).isNegative() && !((Duration) v).isZero(),
          "must be a positive duration");
    }

    Declaration choices(String... values) {
      kind = Kind.CHOICE;
      choices = List.of(values);
      return this;
    }

    Declaration defaults(Object value) {
      defaultValue = String.valueOf(value);
      return this;
    }

    Declaration defaultText(String markdown) {
      defaultText = markdown;
      return this;
    }

    Declaration rule(Predicate<Object> accepts, String text) {
      rule = accepts;
      ruleText = text;
      return this;
    }

    Declaration means(String markdown) {
      description = markdown;
      return this;
    }
  }
}
