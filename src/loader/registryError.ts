/** Stable code of every misuse of a {@link NodeTypeRegistry}; the message says which rule was broken. */
export type NodeTypeErrorCode = "ERR_REGISTRY";

/**
 * Thrown by `registerNodeType` (and `NodeTypeRegistry.register`) for a class that does not extend Node,
 * a name that is not a valid type name or is taken by another class, or a props schema that does not
 * extend `nodePropsSchema`. A `TypeError`, as before it had a code.
 */
export class NodeTypeError extends TypeError {
  override readonly name = "NodeTypeError";
  readonly code: NodeTypeErrorCode = "ERR_REGISTRY";
}
