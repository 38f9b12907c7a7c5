/**
 * The dqlite node on the real libdqlite, through JNA: {@link io.dqlite.sidecar.node.DqliteNode} and
 * its {@link io.dqlite.sidecar.node.NodeOptions}, the library loader {@link
 * io.dqlite.sidecar.node.DqliteLibrary}, and raw-fd sockets for the connect function ({@link
 * io.dqlite.sidecar.node.NativeSockets}, {@link io.dqlite.sidecar.node.FdChannel}). The contract
 * (threads, connect callback, fd ownership, what libdqlite 1.11.1 lacks) is in {@code
 * docs/native.md}.
 */
package io.dqlite.sidecar.node;
