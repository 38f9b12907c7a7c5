package io.dqlite.client.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits SQL text into statements and tells what each statement is, without a server round trip.
 *
 * <p>Why the driver needs it: libdqlite 1.11.1 runs only the first statement of a query or a
 * prepared statement (silently dropping the rest), answers a query of a statement without columns
 * with an error, and fails an exec of a statement that returns rows. So {@code Statement.execute}
 * splits scripts itself and picks the exec or query request per statement. The lexer knows SQLite's
 * quoting ({@code '...'}, {@code "..."}, {@code [...]}, {@code `...`}), both comment forms and
 * trigger bodies ({@code CREATE TRIGGER ... BEGIN ...; ...; END}), in whose body semicolons do not
 * end the statement.
 */
final class SqlScript {

  /** What a statement is, as far as the driver must know. */
  enum Kind {
    /** Returns rows: sent as a query. */
    QUERY,
    /** Changes data or schema: sent as an exec. */
    UPDATE,
    /** A PRAGMA assignment: sent as an exec; any row it answers (journal_mode) is discarded. */
    PRAGMA_SET,
    BEGIN,
    /** COMMIT or END. */
    COMMIT,
    /** ROLLBACK of the whole transaction (not ROLLBACK TO). */
    ROLLBACK,
    ROLLBACK_TO,
    SAVEPOINT,
    RELEASE
  }

  /**
   * One statement of a script.
   *
   * @param sql its text, without the terminating semicolon
   * @param kind what it is
   * @param savepoint for SAVEPOINT, RELEASE and ROLLBACK TO: the savepoint name
   * @param returning whether it has a RETURNING clause
   */
  record Statement(String sql, Kind kind, String savepoint, boolean returning) {
    /** INSERT, UPDATE, DELETE or REPLACE (possibly after WITH): its update count is meaningful. */
    boolean dml() {
      String first = firstWord(sql);
      return first.equals("INSERT")
          || first.equals("UPDATE")
          || first.equals("DELETE")
          || first.equals("REPLACE")
          || first.equals("WITH") && kind == Kind.UPDATE;
    }

    /** INSERT or REPLACE: it may generate a rowid. */
    boolean insert() {
      String first = firstWord(sql);
      return first.equals("INSERT")
          || first.equals("REPLACE")
          || first.equals("WITH") && hasTopLevelWord(lex(sql), "INSERT", "REPLACE");
    }

    /**
     * Changes the connection's own state rather than the database: a PRAGMA assignment, ATTACH,
     * DETACH, or a TEMP table, view, index or trigger.
     */
    boolean sessionState() {
      if (kind == Kind.PRAGMA_SET) {
        return true;
      }
      if (kind != Kind.UPDATE) {
        return false; // queries, BEGIN, COMMIT...: no need to read the text
      }
      String first = firstWord(sql);
      if (first.equals("ATTACH") || first.equals("DETACH")) {
        return true;
      }
      if (!first.equals("CREATE")) {
        return false;
      }
      List<Token> tokens = lex(sql);
      String second = tokens.size() > 1 ? tokens.get(1).upper() : "";
      return second.equals("TEMP") || second.equals("TEMPORARY");
    }

    /**
     * For exactly {@code SELECT last_insert_rowid()} (any case and spacing, no alias): the column
     * name SQLite gives it, the expression as written; otherwise null. Hibernate sends it after
     * every insert of an IDENTITY entity, and the driver can answer it from the insert's result.
     */
    String lastInsertRowidLabel() {
      if (kind != Kind.QUERY
          || sql.length() > 80
          || !sql.toLowerCase(Locale.ROOT).contains("last_insert_rowid")) {
        return null;
      }
      List<Token> t = lex(sql);
      if (t.size() == 4
          && t.get(0).upper().equals("SELECT")
          && t.get(1).upper().equals("LAST_INSERT_ROWID")
          && t.get(2).type() == TokenType.OPEN
          && t.get(3).type() == TokenType.CLOSE) {
        return sql.substring(t.get(1).start(), t.get(3).end());
      }
      return null;
    }

    /** Only reads: retrying it after a broken connection cannot change anything. */
    boolean readOnly() {
      return kind == Kind.QUERY && !firstWord(sql).equals("PRAGMA");
    }
  }

  private static String firstWord(String sql) {
    for (Token t : lex(sql)) {
      return t.upper();
    }
    return "";
  }

  private SqlScript() {}

  /** The non-empty statements of {@code sql}, in order; comments-only parts are dropped. */
  static List<Statement> split(String sql) {
    List<Statement> out = new ArrayList<>();
    List<Token> current = new ArrayList<>();
    int start = 0;
    boolean triggerBody = false;
    int caseDepth = 0;
    for (Token t : lex(sql)) {
      if (t.type == TokenType.SEMICOLON && !triggerBody) {
        if (!current.isEmpty()) {
          out.add(statement(sql.substring(start, t.start).strip(), current));
        }
        current = new ArrayList<>();
        start = t.end;
        continue;
      }
      if (t.type == TokenType.WORD && isCreateTrigger(current)) {
        String w = t.upper();
        if (w.equals("CASE")) {
          caseDepth++;
        } else if (w.equals("BEGIN") && !triggerBody) {
          triggerBody = true;
        } else if (w.equals("END") && triggerBody) {
          if (caseDepth > 0) {
            caseDepth--;
          } else {
            triggerBody = false;
          }
        }
      }
      current.add(t);
    }
    if (!current.isEmpty()) {
      out.add(statement(sql.substring(start).strip(), current));
    }
    return out;
  }

  /** The kind of a single statement (the first one, if {@code sql} holds several). */
  static Kind kindOf(String sql) {
    List<Statement> statements = split(sql);
    return statements.isEmpty() ? Kind.UPDATE : statements.get(0).kind();
  }

  private static boolean isCreateTrigger(List<Token> tokens) {
    if (tokens.isEmpty() || !tokens.get(0).upper().equals("CREATE")) {
      return false;
    }
    for (int i = 1; i < Math.min(tokens.size(), 3); i++) {
      String w = tokens.get(i).upper();
      if (w.equals("TRIGGER")) {
        return true;
      }
      if (!w.equals("TEMP") && !w.equals("TEMPORARY")) {
        return false;
      }
    }
    return false;
  }

  private static Statement statement(String text, List<Token> tokens) {
    String first = tokens.get(0).upper();
    boolean returning = hasTopLevelWord(tokens, "RETURNING") && !isCreateTrigger(tokens);
    return switch (first) {
      case "SELECT", "VALUES", "EXPLAIN" -> new Statement(text, Kind.QUERY, null, false);
      case "WITH" ->
          new Statement(
              text,
              hasTopLevelWord(tokens, "INSERT", "UPDATE", "DELETE", "REPLACE")
                  ? Kind.UPDATE
                  : Kind.QUERY,
              null,
              returning);
      case "PRAGMA" ->
          new Statement(text, hasTopLevel(tokens, "=") ? Kind.PRAGMA_SET : Kind.QUERY, null, false);
      case "BEGIN" -> new Statement(text, Kind.BEGIN, null, false);
      case "COMMIT", "END" -> new Statement(text, Kind.COMMIT, null, false);
      case "ROLLBACK" ->
          hasTopLevelWord(tokens, "TO")
              ? new Statement(text, Kind.ROLLBACK_TO, lastName(tokens), false)
              : new Statement(text, Kind.ROLLBACK, null, false);
      case "SAVEPOINT" -> new Statement(text, Kind.SAVEPOINT, lastName(tokens), false);
      case "RELEASE" -> new Statement(text, Kind.RELEASE, lastName(tokens), false);
      default -> new Statement(text, Kind.UPDATE, null, returning);
    };
  }

  /** The savepoint name: the last word or quoted identifier, unquoted and lower-cased. */
  private static String lastName(List<Token> tokens) {
    Token last = tokens.get(tokens.size() - 1);
    String text = last.text;
    if (last.type == TokenType.QUOTED && text.length() >= 2) {
      text = text.substring(1, text.length() - 1);
    }
    return text.toLowerCase(Locale.ROOT);
  }

  private static boolean hasTopLevelWord(List<Token> tokens, String... words) {
    int depth = 0;
    for (Token t : tokens) {
      if (t.type == TokenType.OPEN) {
        depth++;
      } else if (t.type == TokenType.CLOSE) {
        depth--;
      } else if (depth == 0 && t.type == TokenType.WORD) {
        for (String w : words) {
          if (t.upper().equals(w)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static boolean hasTopLevel(List<Token> tokens, String symbol) {
    int depth = 0;
    for (Token t : tokens) {
      if (t.type == TokenType.OPEN) {
        depth++;
      } else if (t.type == TokenType.CLOSE) {
        depth--;
      } else if (depth == 0 && t.type == TokenType.OTHER && t.text.equals(symbol)) {
        return true;
      }
    }
    return false;
  }

  private enum TokenType {
    WORD,
    QUOTED,
    OPEN,
    CLOSE,
    SEMICOLON,
    OTHER
  }

  private record Token(TokenType type, String text, int start, int end) {
    String upper() {
      return type == TokenType.WORD ? text.toUpperCase(Locale.ROOT) : "";
    }
  }

  /** Tokens of {@code sql} with comments and white space removed. */
  private static List<Token> lex(String sql) {
    List<Token> tokens = new ArrayList<>();
    int n = sql.length();
    int i = 0;
    while (i < n) {
      char c = sql.charAt(i);
      int start = i;
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        while (i < n && sql.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int close = sql.indexOf("*/", i + 2);
        i = close < 0 ? n : close + 2;
      } else if (c == '\'' || c == '"' || c == '`') {
        i = skipQuoted(sql, i, c);
        tokens.add(new Token(TokenType.QUOTED, sql.substring(start, i), start, i));
      } else if (c == '[') {
        int close = sql.indexOf(']', i + 1);
        i = close < 0 ? n : close + 1;
        tokens.add(new Token(TokenType.QUOTED, sql.substring(start, i), start, i));
      } else if (Character.isLetterOrDigit(c) || c == '_' || c == '$') {
        while (i < n
            && (Character.isLetterOrDigit(sql.charAt(i)) || "_$".indexOf(sql.charAt(i)) >= 0)) {
          i++;
        }
        tokens.add(new Token(TokenType.WORD, sql.substring(start, i), start, i));
      } else {
        i++;
        TokenType type =
            switch (c) {
              case ';' -> TokenType.SEMICOLON;
              case '(' -> TokenType.OPEN;
              case ')' -> TokenType.CLOSE;
              default -> TokenType.OTHER;
            };
        tokens.add(new Token(type, String.valueOf(c), start, i));
      }
    }
    return tokens;
  }

  /** The index after the quoted run starting at {@code i}; a doubled quote escapes itself. */
  private static int skipQuoted(String sql, int i, char quote) {
    int n = sql.length();
    i++;
    while (i < n) {
      if (sql.charAt(i) == quote) {
        if (i + 1 < n && sql.charAt(i + 1) == quote) {
          i += 2;
          continue;
        }
        return i + 1;
      }
      i++;
    }
    return n;
  }
}
