package io.dqlite.bench.rmw;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A counter of the framework workload: one per worker and the shared total. */
@Entity
@Table(name = "counter")
public class RmwCounter {
  @Id Integer id;
  long n;

  protected RmwCounter() {}

  RmwCounter(int id) {
    this.id = id;
  }
}
