package io.dqlite.client.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * One batch of a result set. Body: uint64 column count, the column names as text, rows (see {@link
 * Tuples}), then a uint64 marker: {@link #DONE} ends the result set, {@link #PART} means another
 * ROWS message follows. Markers cannot be mistaken for a row header since nibbles 14 and 15 are no
 * value type.
 *
 * @param columns column names, at least one
 * @param rows rows in this batch, possibly none
 * @param more true when more batches follow (marker PART)
 */
public record RowsResponse(List<String> columns, List<Row> rows, boolean more) implements Response {

  /** Marker ending the last batch. */
  public static final long DONE = 0xffff_ffff_ffff_ffffL;

  /** Marker ending a batch that more batches follow. */
  public static final long PART = 0xeeee_eeee_eeee_eeeeL;

  public RowsResponse {
    columns = List.copyOf(columns);
    rows = List.copyOf(rows);
    if (columns.isEmpty()) {
      throw new IllegalArgumentException("a result set has at least one column");
    }
    for (Row row : rows) {
      if (row.types().size() != columns.size()) {
        throw new IllegalArgumentException(
            "row of " + row.types().size() + " values for " + columns.size() + " columns");
      }
    }
  }

  @Override
  public ResponseType type() {
    return ResponseType.ROWS;
  }

  @Override
  public void encodeBody(BodyWriter w) {
    w.putUint64(columns.size());
    for (String c : columns) {
      w.putText(c);
    }
    for (Row row : rows) {
      Tuples.writeRow(w, row);
    }
    w.putUint64(more ? PART : DONE);
  }

  static RowsResponse decode(BodyReader r) throws ProtocolException {
    long n = r.getUint64();
    if (n <= 0 || n > r.remaining() / 8) {
      throw new ProtocolException(
          "rows response counts "
              + Long.toUnsignedString(n)
              + " columns in "
              + r.remaining()
              + " bytes",
          null);
    }
    int columns = (int) n;
    List<String> names = new ArrayList<>(columns);
    for (int i = 0; i < columns; i++) {
      names.add(r.getText("name of column " + (i + 1)));
    }
    List<Row> rows = new ArrayList<>();
    while (true) {
      int first = r.peekUint8();
      if (first == 0xff || first == 0xee) {
        long marker = r.getUint64();
        if (marker != DONE && marker != PART) {
          throw new ProtocolException(
              "rows response has a corrupt end marker " + Long.toHexString(marker), null);
        }
        if (r.remaining() != 0) {
          throw new ProtocolException(
              "rows response has " + r.remaining() + " bytes after its end marker", null);
        }
        return new RowsResponse(names, rows, marker == PART);
      }
      try {
        rows.add(Tuples.readRow(r, columns));
      } catch (MalformedTextException e) {
        throw e.withField(
            describe(e.field(), names) + " in row " + (rows.size() + 1) + " of a batch");
      }
    }
  }

  /** "text value of column 2" becomes "text value of column 2 ('name')". */
  private static String describe(String field, List<String> names) {
    String prefix = "text value of column ";
    if (!field.startsWith(prefix)) {
      return field;
    }
    int column = Integer.parseInt(field.substring(prefix.length()));
    return field + " ('" + names.get(column - 1) + "')";
  }
}
