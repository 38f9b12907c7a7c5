package io.dqlite.e2e.support;

/** The namespace of one test, created before it and deleted after it (see {@link E2eExtension}). */
public record TestNamespace(String name) {

  @Override
  public String toString() {
    return name;
  }
}
