package io.dqlite.bench.rmw;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One committed unit of the framework workload. */
@Entity
@Table(name = "event")
public class RmwEvent {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  Long id;

  int worker;
  long seq;
  Instant at;

  protected RmwEvent() {}

  RmwEvent(int worker, long seq, Instant at) {
    this.worker = worker;
    this.seq = seq;
    this.at = at;
  }
}
