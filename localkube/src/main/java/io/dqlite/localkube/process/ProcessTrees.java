package io.dqlite.localkube.process;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a process and everything it started: SIGTERM to the whole tree, then SIGKILL to whatever is
 * still alive once the grace period has passed.
 */
public final class ProcessTrees {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessTrees.class);

  private ProcessTrees() {}

  /**
   * Stops a container's process as a runtime does: SIGTERM to the main process only (it decides
   * what to do with its children), then, after {@code grace}, SIGKILL to it and every descendant
   * still alive, as killing a container's cgroup would.
   */
  public static void terminate(ProcessHandle root, Duration grace) {
    Set<ProcessHandle> tree = new LinkedHashSet<>();
    root.descendants().forEach(tree::add);
    root.destroy();
    try {
      root.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception timeoutOrFailure) {
      // killed below
    }
    // Children of a process that has exited are re-parented and no longer its descendants:
    // the snapshot taken before SIGTERM still names them.
    root.descendants().forEach(tree::add);
    tree.add(root);
    for (ProcessHandle p : tree) {
      if (p.isAlive()) {
        p.destroyForcibly();
      }
    }
    for (ProcessHandle p : tree) {
      try {
        p.onExit().get(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        LOG.warn("process {} survived SIGKILL for 10 s", p.pid());
      }
    }
  }

  /**
   * Terminates {@code root} and its descendants, waiting up to {@code grace} before killing them.
   *
   * @return true when every process of the tree is gone
   */
  public static boolean destroy(ProcessHandle root, Duration grace) {
    // Collect descendants first: once the root dies its children are re-parented and unreachable.
    List<ProcessHandle> tree =
        Stream.concat(root.descendants(), Stream.of(root)).collect(Collectors.toList());
    tree.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + grace.toNanos();
    for (ProcessHandle p : tree) {
      long left = deadline - System.nanoTime();
      if (left > 0) {
        try {
          p.onExit().get(left, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        } catch (Exception timeoutOrFailure) {
          // falls through to SIGKILL below
        }
      }
    }
    boolean allGone = true;
    for (ProcessHandle p : tree) {
      if (p.isAlive()) {
        LOG.warn("process {} ignored SIGTERM for {}: killing it", p.pid(), grace);
        p.destroyForcibly();
        try {
          p.onExit().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (Exception e) {
          allGone = false;
        }
      }
    }
    return allGone;
  }
}
