package org.datacoop.cli.union;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.datacoop.cli.Json;
import org.datacoop.protocol.union.Constraint;

/** Terms as the union commands read and print them: {@code NAME=CONSTRAINT}, one per template parameter. */
final class Terms {
    private Terms() {}

    /** Reads {@code arg1=1}, {@code arg2=free}, {@code age=18..99}, {@code cols={age,steps}}, naming what is wrong. */
    static Map<String, Constraint> parse(List<String> assignments, String option) {
        Map<String, Constraint> byName = new LinkedHashMap<>();
        for (String assignment : assignments) {
            int eq = assignment.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(option + " takes NAME=CONSTRAINT (free, 5, 1..4 or {a,b}), not '"
                        + assignment + "'");
            }
            String name = assignment.substring(0, eq).strip();
            Constraint constraint;
            try {
                constraint = Constraint.parse(assignment.substring(eq + 1));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(option + " " + name + ": " + e.getMessage());
            }
            if (byName.put(name, constraint) != null) {
                throw new IllegalArgumentException(option + " names parameter " + name + " twice");
            }
        }
        return byName;
    }

    /** A slot written as one argument: {@code 'arg1=1 arg2=free'}. */
    static Map<String, Constraint> parseSlot(String slot, String option) {
        return parse(List.of(slot.strip().split("\\s+")), option);
    }

    static String text(Map<String, Constraint> byName) {
        return byName.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().text())
                .collect(Collectors.joining(" "));
    }

    static ObjectNode json(Map<String, Constraint> byName) {
        ObjectNode node = Json.object();
        byName.forEach((name, c) -> {
            ObjectNode constraint = node.putObject(name).put("kind", kind(c)).put("text", c.text());
            ArrayNode values = constraint.putArray("values");
            c.values().forEach(v -> values.add(v.toString()));
        });
        return node;
    }

    private static String kind(Constraint c) {
        return switch (c) {
            case Constraint.Free f -> "free";
            case Constraint.Fixed f -> "fixed";
            case Constraint.Range r -> "range";
            case Constraint.OneOf s -> "set";
        };
    }
}
