package io.dqlite.sidecar.daemon;

import static io.dqlite.sidecar.daemon.SidecarCluster.cluster;
import static io.dqlite.sidecar.daemon.SidecarCluster.jdbc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dqlite.sidecar.raftlog.RaftLogFiles;
import io.dqlite.sidecar.raftlog.RaftLogReader;
import io.dqlite.sidecar.raftlog.SegmentScan;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code /cluster}'s {@code self.raftLog.lastIndex} on real nodes of both engines (libdqlite 1.11.1
 * on the host, 1.18.1 in the trixie root): followers report the leader's index once writes stop; a
 * killed follower's directory, given a torn batch after its last whole one, reads as libraft itself
 * then loads it (the closed segment libraft names at the restart ends exactly there); and the
 * restarted follower catches up to the index the leader had when asked.
 */
class RaftLogPositionIT {

  private static final Duration CATCH_UP = Duration.ofSeconds(30);

  @ParameterizedTest
  @EnumSource(Engine.class)
  void reportsTheLogPosition_asLibraftLoadsIt_andARestartedFollowerCatchesUp(Engine engine)
      throws Exception {
    String[] hosts =
        engine == Engine.HOST
            ? new String[] {"127.0.141.1", "127.0.141.2", "127.0.141.3"}
            : new String[] {"127.0.142.1", "127.0.142.2", "127.0.142.3"};
    Engine[] engines = {engine, engine, engine};
    try (SidecarCluster c = SidecarCluster.start("rlog", hosts, engines, List.of())) {
      SidecarProcess follower = c.follower();
      write(follower, 0, 100);
      long leaderAt = lastIndex(c.leader());
      assertThat(leaderAt).as("leader's index after 100 inserts").isGreaterThanOrEqualTo(100);
      for (SidecarProcess s : c.sidecars()) {
        await(s + " at the leader's index")
            .atMost(CATCH_UP)
            .pollInterval(Duration.ofMillis(200))
            .until(() -> lastIndex(s) >= leaderAt);
      }

      // SIGKILL: a clean stop closes the open segments itself (they become <first>-<last>), a
      // crash leaves them open, as libraft must then read them.
      follower.kill();
      Path dir = follower.dir();
      long before = new RaftLogReader(dir).lastIndex();
      assertThat(before).as("stopped follower's index").isGreaterThanOrEqualTo(leaderAt);
      tearTail(dir);
      assertThat(new RaftLogReader(dir).lastIndex()).as("index with a torn tail").isEqualTo(before);

      write(c.leader(), 100, 50);
      long sampled = lastIndex(c.leader());
      follower.start(List.of(c.sidecars().get(0).address()));
      // libraft closed the open segments at load, naming the last index it kept: ours.
      await("restarted follower's closed segments")
          .atMost(CATCH_UP)
          .until(() -> lastClosed(dir) >= before);
      assertThat(closedEnds(dir)).as("closed segments after the restart").contains(before);
      await("restarted follower at the index the leader had when asked")
          .atMost(CATCH_UP)
          .pollInterval(Duration.ofMillis(200))
          .ignoreExceptionsInstanceOf(IOException.class) // its admin port opens once it joined
          .until(() -> follower.isAlive() && lastIndex(follower) >= sampled);
    }
  }

  private static void write(SidecarProcess through, int from, int count) throws Exception {
    try (Connection conn = jdbc(through, "rlog");
        Statement st = conn.createStatement()) {
      st.execute("CREATE TABLE IF NOT EXISTS t (n INTEGER)");
      for (int i = from; i < from + count; i++) {
        st.execute("INSERT INTO t VALUES (" + i + ")");
      }
    }
  }

  private static long lastIndex(SidecarProcess s) throws IOException {
    JsonNode log = cluster(s).get("self").get("raftLog");
    assertThat(log).as(s + " self.raftLog").isNotNull();
    assertThat(log.get("error")).as(s + " raftLog error").isNull();
    return log.get("lastIndex").asLong();
  }

  /**
   * Writes a torn batch after the last whole one of the open segment in use: a preamble of one
   * entry whose header checksum is wrong, as a crash in the middle of a write leaves it. libraft
   * truncates it at load (a decoding error in an open segment).
   */
  private static void tearTail(Path dir) throws IOException {
    RaftLogFiles.Listing listing = RaftLogFiles.list(names(dir));
    String inUse = null;
    long offset = 0;
    for (String name : listing.open()) {
      SegmentScan scan =
          SegmentScan.scan(ByteBuffer.wrap(Files.readAllBytes(dir.resolve(name))), 0);
      if (scan.entries() > 0) {
        inUse = name;
        offset = scan.offset();
      }
    }
    assertThat(inUse).as("an open segment with entries in " + listing).isNotNull();
    ByteBuffer torn = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN);
    torn.putInt(0x12345678).putInt(0x9abcdef0).putLong(1).putLong(7).put((byte) 1);
    torn.position(0);
    try (FileChannel ch = FileChannel.open(dir.resolve(inUse), StandardOpenOption.WRITE)) {
      ch.write(torn, offset);
    }
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).toList();
    }
  }

  private static List<Long> closedEnds(Path dir) throws IOException {
    return names(dir).stream()
        .filter(n -> n.matches("\\d{16}-\\d{16}"))
        .map(n -> Long.parseLong(n.substring(17)))
        .toList();
  }

  private static long lastClosed(Path dir) throws IOException {
    return closedEnds(dir).stream().mapToLong(Long::longValue).max().orElse(0);
  }
}
