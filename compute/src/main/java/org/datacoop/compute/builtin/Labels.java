package org.datacoop.compute.builtin;

import java.util.ArrayList;
import java.util.List;
import org.datacoop.compute.data.Rows;
import org.datacoop.compute.data.Selection;

/**
 * The features and the label of every row, in the total order: a classifier's label as its class
 * (a threshold's {@code "true"}/{@code "false"}, or the column's text), a regression's as a number.
 */
record Labels(Rows rows, List<String> classes, double[] values) {
    static Labels read(Selection selection, List<String> features, Label label, boolean classifier) {
        List<String> numeric = new ArrayList<>(features);
        boolean textLabel = classifier && label instanceof Label.Column;
        if (textLabel) {
            selection.requireColumn(label.column(), "label");
        } else {
            selection.requireNumeric(label.column(), "label");
            numeric.add(label.column());
        }
        Rows rows = selection.read(numeric, textLabel ? List.of(label.column()) : List.of());
        if (textLabel) {
            return new Labels(rows, rows.text(label.column()), new double[0]);
        }
        double[] values = rows.number(label.column());
        List<String> classes = new ArrayList<>();
        if (label instanceof Label.Above above) {
            for (double value : values) {
                classes.add(above.classOf(value));
            }
        }
        return new Labels(rows, List.copyOf(classes), values);
    }
}
