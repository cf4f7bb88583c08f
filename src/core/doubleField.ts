/**
 * The initial value of a numeric field that will hold fractions (times, deltas, accumulators). V8 gives
 * a field the representation of the first value stored in it: a field first stored as an integer (0,
 * -1) changes representation when its first fraction arrives, which deprecates the class's object
 * shapes, so every instance made so far is migrated and the code compiled for them deoptimizes. A fleet
 * worker builds thousands of trees (and opens thousands of sockets) before the first frame (or open)
 * stores a fraction. Initialise such a field with this, then store its real starting value in the
 * constructor: the field stays a double field from the first instance on.
 */
export const DOUBLE_FIELD = 0.5;
