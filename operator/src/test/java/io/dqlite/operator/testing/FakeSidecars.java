package io.dqlite.operator.testing;

import io.dqlite.operator.membership.AdminToken;
import io.dqlite.operator.membership.SidecarAdmin;
import io.dqlite.sidecar.api.SidecarView;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Sidecars answering from a table: by admin URI, a view, a failure, or never. */
public final class FakeSidecars implements SidecarAdmin {

  private final Map<URI, CompletableFuture<SidecarView>> answers = new ConcurrentHashMap<>();
  private final Map<URI, HandoverResult> handovers = new ConcurrentHashMap<>();
  public final List<URI> handedOver = new CopyOnWriteArrayList<>();

  /** The node ids the handovers named, in order. */
  public final List<Long> handoverIds = new CopyOnWriteArrayList<>();

  /** The tokens every call carried, in order. */
  public final List<AdminToken> tokens = new CopyOnWriteArrayList<>();

  public final List<URI> asked = new CopyOnWriteArrayList<>();

  public FakeSidecars answer(String ip, SidecarView view) {
    answers.put(uri(ip), CompletableFuture.completedFuture(view));
    return this;
  }

  public FakeSidecars fail(String ip, String message) {
    answers.put(uri(ip), CompletableFuture.failedFuture(new IOException(message)));
    return this;
  }

  /** The sidecar at {@code ip} never answers. */
  public FakeSidecars hang(String ip) {
    answers.put(uri(ip), new CompletableFuture<>());
    return this;
  }

  public FakeSidecars handover(String ip, HandoverResult result) {
    handovers.put(uri(ip), result);
    return this;
  }

  public static URI uri(String ip) {
    return URI.create("http://" + ip + ":8081");
  }

  @Override
  public CompletableFuture<SidecarView> cluster(URI admin, AdminToken token) {
    asked.add(admin);
    tokens.add(token);
    return answers.getOrDefault(
        admin, CompletableFuture.failedFuture(new IOException("connection refused: " + admin)));
  }

  /** The exclude list of each handover, in order. */
  public final List<java.util.Set<Long>> excludes =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  @Override
  public HandoverResult handover(
      URI admin, AdminToken token, long nodeId, java.util.Set<Long> exclude) throws IOException {
    excludes.add(exclude);
    return handover(admin, token, nodeId);
  }

  @Override
  public HandoverResult handover(URI admin, AdminToken token, long nodeId) throws IOException {
    handedOver.add(admin);
    handoverIds.add(nodeId);
    tokens.add(token);
    HandoverResult result = handovers.get(admin);
    if (result == null) {
      throw new IOException("connection refused: " + admin);
    }
    return result;
  }
}
