package org.datacoop.node.program;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FormulaTest {
    private static final JsonNode DATA = json("""
            {"owner": "x", "profile": {"age": 41, "name": "n"},
             "days": [{"steps": 100}, {"steps": 300}, {"steps": "many"}, {}],
             "weeks": [{"days": [{"steps": 1}, {"steps": 2}]}, {"days": [{"steps": 3}]}],
             "scores": [1, 2, 3]}
            """);

    private static double eval(String text) {
        return Formula.parse(text, Set.of("q", "o")).evaluate(DATA, Map.of("q", 0.5, "o", 1.0));
    }

    @Test
    void theReferencesExamplesHold() {
        // docs/declarative.md, "Paths": if these change, the reference is wrong.
        JsonNode nights = json("{\"nights\": [{\"hours\": 7}, {\"hours\": 8}]}");
        assertThat(Formula.parse("avg(nights.hours)", Set.of()).evaluate(nights, Map.of())).isEqualTo(7.5);
        assertThat(Formula.parse("count(nights)", Set.of()).evaluate(nights, Map.of())).isEqualTo(2);
        assertThatThrownBy(() -> Formula.parse("avg(nights[].hours)", Set.of()))
                .hasMessage("unexpected '[', expected ')' at position 11 in \"avg(nights[].hours)\"");
    }

    @Test
    void multipliesAndDividesBeforeAddingAndSubtracting() {
        assertThat(eval("1 + 2 * 3")).isEqualTo(7);
        assertThat(eval("(1 + 2) * 3")).isEqualTo(9);
        assertThat(eval("10 - 4 - 3")).isEqualTo(3);
        assertThat(eval("12 / 3 / 2")).isEqualTo(2);
        assertThat(eval("-2 * -3 + - -1")).isEqualTo(7);
        assertThat(eval("0.6 * q + 0.4 * o")).isCloseTo(0.7, within(1e-12));
    }

    @Test
    void minAndMaxTakeAnyNumberOfArguments() {
        assertThat(eval("min(1, 0.25, q)")).isEqualTo(0.25);
        assertThat(eval("max(q)")).isEqualTo(0.5);
        assertThat(eval("max(1, min(4, 2) * 3)")).isEqualTo(6);
    }

    @Test
    void queriesTheDataAlongDottedPaths() {
        assertThat(eval("count(days)")).isEqualTo(4);
        assertThat(eval("count(profile)")).isEqualTo(2);
        assertThat(eval("sum(days.steps)")).isEqualTo(400);
        assertThat(eval("avg(days.steps)")).isEqualTo(200);
        assertThat(eval("sum(weeks.days.steps)")).isEqualTo(6);
        assertThat(eval("sum(scores)")).isEqualTo(6);
        assertThat(eval("value(profile.age)")).isEqualTo(41);
    }

    @Test
    void aPathThatReachesNothingCountsAsZero() {
        assertThat(eval("count(nights) + sum(nights.steps) + avg(nights.steps) + value(profile.height)")).isZero();
        assertThat(eval("value(profile.name) + count(owner) + value(days.steps)")).isZero();
        assertThat(Formula.parse("count(days) + 1", Set.of()).evaluate(MissingNode.getInstance(), Map.of())).isEqualTo(1);
    }

    @Test
    void listsItsDataQueriesWithTheirValues() {
        assertThat(Formula.parse("min(1, count(days) / 30) + value(profile.age) * 0", Set.of()).queries(DATA))
                .containsExactly(entry("count(days)", 4.0), entry("value(profile.age)", 41.0));
    }

    @Test
    void syntaxErrorsNameThePositionAndTheFormula() {
        assertThatThrownBy(() -> Formula.parse("1 + * 2", Set.of()))
                .isInstanceOf(Formula.FormulaException.class)
                .hasMessage("unexpected '*', expected a number, a name or '(' at position 5 in \"1 + * 2\"");
        assertThatThrownBy(() -> Formula.parse("min(1, 2", Set.of()))
                .hasMessage("unexpected end, expected ')' at position 9 in \"min(1, 2\"");
        assertThatThrownBy(() -> Formula.parse("(1 + 2)) ", Set.of())).hasMessageStartingWith("unexpected ')' at position 8");
        assertThatThrownBy(() -> Formula.parse("1.2.3", Set.of())).hasMessageStartingWith("'1.2.3' is not a number at position 1");
        assertThatThrownBy(() -> Formula.parse("count()", Set.of())).hasMessageStartingWith("expected a field name at position 7");
        assertThatThrownBy(() -> Formula.parse("", Set.of())).hasMessageStartingWith("unexpected end");
    }

    @Test
    void refusesUnknownNamesAndMethodCalls() {
        assertThatThrownBy(() -> Formula.parse("0.5 * qualty", Set.of("quality", "ownership")))
                .hasMessage("unknown variable 'qualty' (known: ownership, quality) at position 7 in \"0.5 * qualty\"");
        assertThatThrownBy(() -> Formula.parse("pow(2, 3)", Set.of()))
                .hasMessageStartingWith("unknown function 'pow'");
        assertThatThrownBy(() -> Formula.parse("days.size()", Set.of()))
                .hasMessageStartingWith("unknown variable 'days' (this formula takes none) at position 1");
        assertThatThrownBy(() -> Formula.parse("count(days).size()", Set.of()))
                .hasMessageStartingWith("unexpected '.' at position 12");
    }

    @Test
    void refusesNestingDeepEnoughToExhaustTheStack() {
        assertThatThrownBy(() -> Formula.parse("(".repeat(10_000) + "1" + ")".repeat(10_000), Set.of()))
                .hasMessageStartingWith("nested more than 64 deep");
        assertThat(Formula.parse("(".repeat(30) + "1" + ")".repeat(30), Set.of()).evaluate(DATA, Map.of())).isEqualTo(1);
    }

    @Test
    void divisionByZeroIsAnEvaluationError() {
        Formula formula = Formula.parse("sum(days.steps) / count(nights)", Set.of());
        assertThatThrownBy(() -> formula.evaluate(DATA, Map.of()))
                .isInstanceOf(Formula.FormulaException.class)
                .hasMessage("division by zero");
    }

    private static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
