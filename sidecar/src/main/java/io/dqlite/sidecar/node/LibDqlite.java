package io.dqlite.sidecar.node;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/**
 * The part of {@code dqlite.h} (libdqlite 1.11.1) that every supported library exports. Calls that
 * newer libraries add (disk mode, ...) are not declared here: they are looked up by name with
 * {@link DqliteLibrary#optionalFunction}, so a missing symbol is a typed error rather than a crash.
 * {@code dqlite_node_id} is {@code unsigned long long}: Java's {@code long} carries its 64 bits,
 * read as unsigned.
 */
interface LibDqlite extends Library {

  /** {@code int (*f)(void *arg, const char *address, int *fd)}, run on libuv's thread pool. */
  interface ConnectFunc extends Callback {
    int invoke(Pointer arg, Pointer address, Pointer fd);
  }

  int dqlite_version_number();

  int dqlite_node_create(long id, String address, String dataDir, PointerByReference node);

  void dqlite_node_destroy(Pointer node);

  int dqlite_node_set_bind_address(Pointer node, String address);

  String dqlite_node_get_bind_address(Pointer node);

  int dqlite_node_set_connect_func(Pointer node, ConnectFunc f, Pointer arg);

  int dqlite_node_set_network_latency(Pointer node, long nanoseconds);

  int dqlite_node_set_failure_domain(Pointer node, long code);

  int dqlite_node_set_snapshot_params(Pointer node, int threshold, int trailing);

  int dqlite_node_start(Pointer node);

  int dqlite_node_stop(Pointer node);

  /** {@code infos} is an array of {@code struct dqlite_node_info {id; const char *address;}}. */
  int dqlite_node_recover(Pointer node, Pointer infos, int count);

  String dqlite_node_errmsg(Pointer node);

  long dqlite_generate_node_id(String address);
}
