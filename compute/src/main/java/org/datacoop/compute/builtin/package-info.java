/**
 * The built-in algorithms ({@link org.datacoop.compute.builtin.Builtin}): logistic and linear
 * regression trained with Tribuo's SGD, prediction and evaluation of the models they write
 * ({@link org.datacoop.compute.builtin.LinearModel}). {@link org.datacoop.compute.builtin.Training}
 * is also the hook a benchmark times against Tribuo directly.
 */
package org.datacoop.compute.builtin;
