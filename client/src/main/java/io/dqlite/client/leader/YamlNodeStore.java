package io.dqlite.client.leader;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.dqlite.client.model.NodeInfo;
import io.dqlite.client.model.NodeRole;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A {@link NodeStore} kept in a YAML file in go-dqlite's {@code cluster.yaml} format, so that a
 * go-dqlite node and this one can read each other's files. Follows go-dqlite's {@code
 * client.YamlNodeStore} (v1.11): the file is read once when the store is opened (a missing file is
 * an empty store), {@link #get()} answers from memory, {@link #set} writes the file and then
 * memory.
 *
 * <p>The format: a sequence of mappings with the keys {@code ID} (unsigned 64-bit decimal), {@code
 * Address} and {@code Role} (0 voter, 1 stand-by, 2 spare), accepted in any order, unknown keys
 * ignored, a missing ID or Role read as 0 (go-dqlite's zero values); unlike go-dqlite, an entry
 * without an Address is refused as corrupt. Written as go-dqlite writes it (yaml.v2): keys in the
 * order Address, ID, Role, strings quoted only where YAML needs it ({@code '[::1]:9001'}, {@code
 * '@name'}), mode 0600, atomically (temporary file in the same directory, fsync, rename). The
 * static helpers serve the App's {@code info.yaml} too, a single mapping of the same keys.
 */
public final class YamlNodeStore implements NodeStore {

  private static final YAMLMapper YAML = new YAMLMapper();

  private final Path file;
  private volatile List<NodeInfo> nodes;

  private YamlNodeStore(Path file, List<NodeInfo> nodes) {
    this.file = file;
    this.nodes = nodes;
  }

  /**
   * Opens the store backed by {@code file}, reading it if it exists.
   *
   * @throws IOException naming the file, when it cannot be read or is not a valid node list
   */
  public static YamlNodeStore open(Path file) throws IOException {
    List<NodeInfo> nodes = Files.exists(file) ? read(file) : List.of();
    return new YamlNodeStore(file, nodes);
  }

  public Path file() {
    return file;
  }

  @Override
  public List<NodeInfo> get() {
    return nodes;
  }

  /** Writes {@code nodes} to the file atomically; memory changes only once the file has. */
  @Override
  public synchronized void set(List<NodeInfo> nodes) throws IOException {
    List<NodeInfo> copy = List.copyOf(nodes);
    writeAtomically(file, format(copy));
    this.nodes = copy;
  }

  // ---- the file format, shared with info.yaml ----

  /** Reads a node list file. */
  public static List<NodeInfo> read(Path file) throws IOException {
    return parse(readText(file), file);
  }

  /** Reads a single-node file ({@code info.yaml}). */
  public static NodeInfo readNode(Path file) throws IOException {
    return parseNode(readText(file), file);
  }

  /**
   * Parses a node list; {@code source} names the file in errors. An empty document is an empty
   * list, as for go-dqlite.
   */
  public static List<NodeInfo> parse(String yaml, Path source) throws IOException {
    JsonNode root = tree(yaml, source);
    if (root == null || root.isMissingNode() || root.isNull()) {
      return List.of();
    }
    if (!root.isArray()) {
      throw corrupt(source, "expected a list of nodes (ID, Address, Role), found " + kind(root));
    }
    List<NodeInfo> nodes = new ArrayList<>();
    for (int i = 0; i < root.size(); i++) {
      nodes.add(node(root.get(i), source, "entry " + (i + 1) + ": "));
    }
    return List.copyOf(nodes);
  }

  /** Parses a single mapping of ID, Address and Role. */
  public static NodeInfo parseNode(String yaml, Path source) throws IOException {
    JsonNode root = tree(yaml, source);
    if (root == null || root.isMissingNode() || root.isNull()) {
      throw corrupt(source, "the file is empty; expected ID, Address and Role");
    }
    return node(root, source, "");
  }

  /** A node list as yaml.v2 marshals it. */
  public static String format(List<NodeInfo> nodes) {
    if (nodes.isEmpty()) {
      return "[]\n";
    }
    StringBuilder out = new StringBuilder();
    for (NodeInfo node : nodes) {
      appendNode(out, node, "- ", "  ");
    }
    return out.toString();
  }

  /** A single node as yaml.v2 marshals it ({@code info.yaml}). */
  public static String formatNode(NodeInfo node) {
    StringBuilder out = new StringBuilder();
    appendNode(out, node, "", "");
    return out.toString();
  }

  /**
   * Replaces {@code file} with {@code content} atomically and durably: a temporary file in the same
   * directory, mode 0600, fsync'd, renamed over the target, then the directory fsync'd. On failure
   * the target is unchanged and the temporary file removed.
   */
  public static void writeAtomically(Path file, String content) throws IOException {
    Path absolute = file.toAbsolutePath();
    Path dir = absolute.getParent();
    Path tmp;
    try {
      tmp =
          Files.createTempFile(
              dir,
              "." + absolute.getFileName() + ".",
              ".tmp",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (IOException e) {
      throw new IOException("write " + file + ": cannot create a temporary file in " + dir, e);
    }
    try {
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
          channel.write(bytes);
        }
        channel.force(true);
      }
      Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      throw new IOException("write " + file + ": " + e, e);
    }
    // Makes the rename itself durable; a directory that cannot be opened only loses that.
    try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
      directory.force(true);
    } catch (IOException ignored) {
      // Not every file system lets a directory be opened for fsync; the data is already synced.
    }
  }

  private static String readText(Path file) throws IOException {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new IOException("read " + file + ": no such file", e);
    } catch (IOException e) {
      throw new IOException("read " + file + ": " + e, e);
    }
  }

  private static JsonNode tree(String yaml, Path source) throws IOException {
    try {
      return YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      throw corrupt(source, "not valid YAML: " + e.getOriginalMessage());
    }
  }

  private static NodeInfo node(JsonNode entry, Path source, String where) throws IOException {
    if (!entry.isObject()) {
      throw corrupt(
          source, where + "expected a mapping of ID, Address and Role, found " + kind(entry));
    }
    JsonNode address = entry.get("Address");
    if (address == null || !address.isTextual()) {
      throw corrupt(
          source,
          where + (address == null ? "Address is missing" : "Address is not a string: " + address));
    }
    long id = unsignedId(entry.get("ID"), source, where);
    NodeRole role = role(entry.get("Role"), source, where);
    return new NodeInfo(id, address.textValue(), role);
  }

  /** Absent means 0, as go-dqlite's zero value: a seed entry whose id is not known yet. */
  private static long unsignedId(JsonNode id, Path source, String where) throws IOException {
    if (id == null) {
      return 0;
    }
    if (id.isIntegralNumber()) {
      BigInteger value = id.bigIntegerValue();
      if (value.signum() >= 0 && value.bitLength() <= 64) {
        return value.longValue();
      }
    }
    throw corrupt(source, where + "ID " + id + " is not an unsigned 64-bit integer");
  }

  private static NodeRole role(JsonNode role, Path source, String where) throws IOException {
    if (role == null) {
      return NodeRole.VOTER;
    }
    if (role.isIntegralNumber() && role.canConvertToInt()) {
      int code = role.intValue();
      if (code >= 0 && code <= 2) {
        return NodeRole.fromCode(code);
      }
    }
    throw corrupt(source, where + "Role " + role + " is not 0 (voter), 1 (stand-by) or 2 (spare)");
  }

  private static String kind(JsonNode node) {
    return node.isArray() ? "a list" : node.isObject() ? "a mapping" : "the scalar " + node;
  }

  private static IOException corrupt(Path source, String problem) {
    return new IOException(
        source
            + ": "
            + problem
            + " (go-dqlite's format: ID, Address and Role per node; fix the file or restore it)");
  }

  private static void appendNode(StringBuilder out, NodeInfo node, String first, String rest) {
    out.append(first).append("Address: ").append(YamlScalars.scalar(node.address())).append('\n');
    out.append(rest).append("ID: ").append(Long.toUnsignedString(node.id())).append('\n');
    out.append(rest).append("Role: ").append(node.role().code()).append('\n');
  }

  /** When yaml.v2 (libyaml's emitter rules plus Go's resolver) quotes a string, and how. */
  static final class YamlScalars {

    private static final Pattern NON_STRING =
        Pattern.compile(
            "~|null|Null|NULL"
                + "|y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE"
                + "|on|On|ON|off|Off|OFF"
                + "|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)|<<"
                + "|[-+]?(0b[01_]+|0o?[0-7_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*)"
                + "|[-+]?(\\.[0-9]+|[0-9][0-9_]*(\\.[0-9_]*)?)([eE][-+]?[0-9]+)?"
                // base 60, which yaml.v2 quotes for YAML 1.1 readers
                + "|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\\.[0-9_]*)?"
                + "|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ].*)?");

    private YamlScalars() {}

    static String scalar(String value) {
      if (value.isEmpty() || NON_STRING.matcher(value).matches() || hasSpecial(value)) {
        return doubleQuoted(value);
      }
      if (!plainAllowed(value)) {
        return "'" + value.replace("'", "''") + "'";
      }
      return value;
    }

    /** Characters libyaml will not print as they are: controls (tab and newline included). */
    private static boolean hasSpecial(String value) {
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == 0xfeff) {
          return true;
        }
      }
      return false;
    }

    /** libyaml's analysis for a plain scalar in block context. */
    private static boolean plainAllowed(String value) {
      if (value.startsWith("---") || value.startsWith("...")) {
        return false;
      }
      if (value.charAt(0) == ' ' || value.charAt(value.length() - 1) == ' ') {
        return false;
      }
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        boolean followedByBlank = i + 1 == value.length() || value.charAt(i + 1) == ' ';
        if (i == 0) {
          if ("#,[]{}&*!|>'\"%@`".indexOf(c) >= 0) {
            return false;
          }
          if ((c == '?' || c == ':' || c == '-') && followedByBlank) {
            return false;
          }
        } else {
          if (c == ':' && followedByBlank) {
            return false;
          }
          if (c == '#' && value.charAt(i - 1) == ' ') {
            return false;
          }
        }
      }
      return true;
    }

    private static String doubleQuoted(String value) {
      StringBuilder out = new StringBuilder("\"");
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        switch (c) {
          case '"' -> out.append("\\\"");
          case '\\' -> out.append("\\\\");
          case '\n' -> out.append("\\n");
          case '\t' -> out.append("\\t");
          case '\r' -> out.append("\\r");
          default -> {
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == 0xfeff) {
              out.append(String.format("\\u%04X", (int) c));
            } else {
              out.append(c);
            }
          }
        }
      }
      return out.append('"').toString();
    }
  }
}
