package org.datacoop.node.program;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

// Hand-written rather than JEXL or SpEL: those allow method calls, which a program run inside the enclave must not.
/**
 * An arithmetic formula from a DataDAO's program definition, parsed once and evaluated per file.
 * Numbers, variables, {@code + - * /}, unary minus, parentheses, {@code min(..)}, {@code max(..)}
 * and the data queries {@code count(path)}, {@code sum(path)}, {@code avg(path)} and
 * {@code value(path)} (see {@link DataPath}; a path that reaches nothing counts as 0).
 */
final class Formula {
    private static final int MAX_DEPTH = 64;

    private final String text;
    private final Node root;

    private Formula(String text, Node root) {
        this.text = text;
        this.root = root;
    }

    /** Parses {@code text}, which may name only {@code variables}; positions in errors count from 1. */
    static Formula parse(String text, Set<String> variables) {
        return new Formula(text, new Parser(text, variables).parseAll());
    }

    String text() {
        return text;
    }

    /** The value over {@code data} (a missing node when there is none) with {@code variables} bound. */
    double evaluate(JsonNode data, Map<String, Double> variables) {
        double value = evaluate(root, data, variables);
        if (!Double.isFinite(value)) {
            throw new FormulaException("the result is not a finite number");
        }
        return value;
    }

    /** Each data query in the formula, by its text, with its value over {@code data}: what a score was computed from. */
    Map<String, Double> queries(JsonNode data) {
        Map<String, Double> values = new LinkedHashMap<>();
        collectQueries(root, data, values);
        return values;
    }

    private static void collectQueries(Node node, JsonNode data, Map<String, Double> values) {
        switch (node) {
            case Query query -> values.put(query.toString(), query.evaluate(data));
            case Negate negate -> collectQueries(negate.operand(), data, values);
            case Arithmetic arithmetic -> {
                collectQueries(arithmetic.left(), data, values);
                collectQueries(arithmetic.right(), data, values);
            }
            case Extremum extremum -> extremum.arguments().forEach(argument -> collectQueries(argument, data, values));
            case Num num -> { }
            case Var var -> { }
        }
    }

    private static double evaluate(Node node, JsonNode data, Map<String, Double> variables) {
        return switch (node) {
            case Num num -> num.value();
            case Var var -> {
                Double value = variables.get(var.name());
                if (value == null) {
                    throw new FormulaException("variable '" + var.name() + "' has no value");
                }
                yield value;
            }
            case Negate negate -> -evaluate(negate.operand(), data, variables);
            case Arithmetic arithmetic -> {
                double left = evaluate(arithmetic.left(), data, variables);
                double right = evaluate(arithmetic.right(), data, variables);
                yield switch (arithmetic.operator()) {
                    case '+' -> left + right;
                    case '-' -> left - right;
                    case '*' -> left * right;
                    default -> {
                        if (right == 0) {
                            throw new FormulaException("division by zero");
                        }
                        yield left / right;
                    }
                };
            }
            case Extremum extremum -> {
                double result = evaluate(extremum.arguments().getFirst(), data, variables);
                for (Node argument : extremum.arguments().subList(1, extremum.arguments().size())) {
                    double value = evaluate(argument, data, variables);
                    result = extremum.max() ? Math.max(result, value) : Math.min(result, value);
                }
                yield result;
            }
            case Query query -> query.evaluate(data);
        };
    }

    /** A formula that cannot be parsed, or cannot be evaluated on some data. */
    static final class FormulaException extends RuntimeException {
        FormulaException(String message) {
            super(message);
        }
    }

    private sealed interface Node permits Num, Var, Negate, Arithmetic, Extremum, Query {}

    private record Num(double value) implements Node {}

    private record Var(String name) implements Node {}

    private record Negate(Node operand) implements Node {}

    private record Arithmetic(char operator, Node left, Node right) implements Node {}

    private record Extremum(boolean max, List<Node> arguments) implements Node {}

    private enum QueryKind { COUNT, SUM, AVG, VALUE }

    private record Query(QueryKind kind, DataPath path) implements Node {
        double evaluate(JsonNode data) {
            return switch (kind) {
                case COUNT -> {
                    JsonNode node = path.at(data);
                    yield node.isArray() || node.isObject() ? node.size() : 0;
                }
                case VALUE -> {
                    JsonNode node = path.at(data);
                    yield node.isNumber() ? node.doubleValue() : 0;
                }
                case SUM -> {
                    double[] sum = {0};
                    path.forEachNumber(data, value -> sum[0] += value);
                    yield sum[0];
                }
                case AVG -> {
                    double[] sumAndCount = {0, 0};
                    path.forEachNumber(data, value -> {
                        sumAndCount[0] += value;
                        sumAndCount[1]++;
                    });
                    yield sumAndCount[1] == 0 ? 0 : sumAndCount[0] / sumAndCount[1];
                }
            };
        }

        @Override
        public String toString() {
            return kind.name().toLowerCase(Locale.ROOT) + "(" + path + ")";
        }
    }

    /** Recursive descent: expression = term (('+'|'-') term)*, term = unary (('*'|'/') unary)*, unary = '-' unary | primary. */
    private static final class Parser {
        private final String text;
        private final Set<String> variables;
        private int position;
        private int depth;

        Parser(String text, Set<String> variables) {
            this.text = text;
            this.variables = variables;
        }

        Node parseAll() {
            Node node = expression();
            skipSpaces();
            if (position < text.length()) {
                throw error("unexpected '" + text.charAt(position) + "'", position);
            }
            return node;
        }

        private Node expression() {
            Node node = term();
            while (true) {
                skipSpaces();
                if (!accept('+') && !accept('-')) {
                    return node;
                }
                node = new Arithmetic(text.charAt(position - 1), node, term());
            }
        }

        private Node term() {
            Node node = unary();
            while (true) {
                skipSpaces();
                if (!accept('*') && !accept('/')) {
                    return node;
                }
                node = new Arithmetic(text.charAt(position - 1), node, unary());
            }
        }

        // Every nesting passes through here, so this bounds the recursion a hostile definition could ask for.
        private Node unary() {
            if (++depth > MAX_DEPTH) {
                throw error("nested more than " + MAX_DEPTH + " deep", position);
            }
            skipSpaces();
            Node node = accept('-') ? new Negate(unary()) : primary();
            depth--;
            return node;
        }

        private Node primary() {
            skipSpaces();
            if (position == text.length()) {
                throw error("unexpected end, expected a number, a name or '('", position);
            }
            char c = text.charAt(position);
            if (accept('(')) {
                Node node = expression();
                expect(')');
                return node;
            }
            if (c >= '0' && c <= '9' || c == '.') {
                return number();
            }
            if (isNameStart(c)) {
                int start = position;
                String name = name();
                skipSpaces();
                return accept('(') ? call(name, start) : variable(name, start);
            }
            throw error("unexpected '" + c + "', expected a number, a name or '('", position);
        }

        private Node number() {
            int start = position;
            while (position < text.length() && (Character.isDigit(text.charAt(position)) || text.charAt(position) == '.')) {
                position++;
            }
            String digits = text.substring(start, position);
            if (!digits.matches("[0-9]+(\\.[0-9]+)?")) {
                throw error("'" + digits + "' is not a number", start);
            }
            return new Num(Double.parseDouble(digits));
        }

        private Node variable(String name, int start) {
            if (!variables.contains(name)) {
                throw error("unknown variable '" + name + "'"
                        + (variables.isEmpty() ? " (this formula takes none)" : " (known: " + String.join(", ", new TreeSet<>(variables)) + ")"),
                        start);
            }
            return new Var(name);
        }

        private Node call(String name, int start) {
            return switch (name) {
                case "min", "max" -> {
                    List<Node> arguments = new ArrayList<>();
                    do {
                        arguments.add(expression());
                        skipSpaces();
                    } while (accept(','));
                    expect(')');
                    yield new Extremum(name.equals("max"), List.copyOf(arguments));
                }
                case "count", "sum", "avg", "value" -> {
                    DataPath path = path();
                    expect(')');
                    yield new Query(QueryKind.valueOf(name.toUpperCase(Locale.ROOT)), path);
                }
                default -> throw error("unknown function '" + name + "' (known: avg, count, max, min, sum, value)", start);
            };
        }

        private DataPath path() {
            List<String> segments = new ArrayList<>();
            do {
                skipSpaces();
                int start = position;
                while (position < text.length() && DataPath.isSegmentChar(text.charAt(position))) {
                    position++;
                }
                if (start == position) {
                    throw error("expected a field name", position);
                }
                segments.add(text.substring(start, position));
            } while (accept('.'));
            return new DataPath(segments);
        }

        private String name() {
            int start = position;
            while (position < text.length() && (isNameStart(text.charAt(position)) || Character.isDigit(text.charAt(position)))) {
                position++;
            }
            return text.substring(start, position);
        }

        private static boolean isNameStart(char c) {
            return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_';
        }

        private void expect(char c) {
            skipSpaces();
            if (!accept(c)) {
                throw error(position == text.length() ? "unexpected end, expected '" + c + "'"
                        : "unexpected '" + text.charAt(position) + "', expected '" + c + "'", position);
            }
        }

        private boolean accept(char c) {
            if (position < text.length() && text.charAt(position) == c) {
                position++;
                return true;
            }
            return false;
        }

        private void skipSpaces() {
            while (position < text.length() && Character.isWhitespace(text.charAt(position))) {
                position++;
            }
        }

        private FormulaException error(String problem, int at) {
            return new FormulaException(problem + " at position " + (at + 1) + " in \"" + text + "\"");
        }
    }
}
