package io.dqlite.client.model;

/**
 * One file of a database dump: the main database file (named like the database) or its WAL (name
 * plus {@code -wal}), as a node holds them in its VFS.
 *
 * @param name the file name
 * @param data the file's bytes; the array is shared, do not modify it
 */
public record DumpFile(String name, byte[] data) {

  @Override
  public String toString() {
    return "DumpFile[" + name + ", " + data.length + " bytes]";
  }
}
