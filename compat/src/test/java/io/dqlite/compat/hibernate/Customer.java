package io.dqlite.compat.hibernate;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Version;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;

/** A versioned entity with every value type the suite checks. */
@Entity
public class Customer {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  Long id;

  @Column(nullable = false)
  String name;

  Instant createdAt;
  LocalDateTime lastSeen;

  @Column(precision = 19, scale = 4)
  BigDecimal balance;

  byte[] avatar;

  @Version long version;

  protected Customer() {}

  Customer(
      String name, Instant createdAt, LocalDateTime lastSeen, BigDecimal balance, byte[] avatar) {
    this.name = name;
    this.createdAt = createdAt;
    this.lastSeen = lastSeen;
    this.balance = balance;
    this.avatar = avatar;
  }
}
