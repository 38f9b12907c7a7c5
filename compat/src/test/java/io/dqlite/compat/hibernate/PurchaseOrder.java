package io.dqlite.compat.hibernate;

import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;
import java.math.BigDecimal;

/** An order of a customer: the many side of the joins. */
@Entity
public class PurchaseOrder {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  Long id;

  @ManyToOne(fetch = FetchType.LAZY, optional = false)
  Customer customer;

  String item;
  BigDecimal amount;
  String status = "NEW";

  protected PurchaseOrder() {}

  PurchaseOrder(Customer customer, String item, BigDecimal amount) {
    this.customer = customer;
    this.item = item;
    this.amount = amount;
  }
}
