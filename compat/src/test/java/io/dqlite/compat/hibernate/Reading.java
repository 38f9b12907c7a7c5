package io.dqlite.compat.hibernate;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

/**
 * An entity with an assigned id: Hibernate batches inserts only for ids it knows before the INSERT
 * (IDENTITY ids come from the INSERT itself).
 */
@Entity
public class Reading {
  @Id Long id;
  double value;

  protected Reading() {}

  Reading(long id, double value) {
    this.id = id;
    this.value = value;
  }
}
