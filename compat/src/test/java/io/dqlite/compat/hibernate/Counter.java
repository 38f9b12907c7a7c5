package io.dqlite.compat.hibernate;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/** A counter of the concurrency load; versioned, so a lost update would fail the unit. */
@Entity
@Table(name = "counter")
public class Counter {
  @Id Integer id;
  long n;
  @Version long version;

  protected Counter() {}

  Counter(int id) {
    this.id = id;
  }
}
