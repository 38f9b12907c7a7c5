package io.dqlite.compat.hibernate;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;
import java.time.Instant;

/** One committed unit of work of the concurrency load. */
@Entity
@Table(name = "event", uniqueConstraints = @UniqueConstraint(columnNames = {"thread", "seq"}))
public class Event {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  Long id;

  int thread;
  int seq;
  Instant at;

  protected Event() {}

  Event(int thread, int seq, Instant at) {
    this.thread = thread;
    this.seq = seq;
    this.at = at;
  }
}
