import { CodedError } from "../core/errors";

/** Stable code of every misuse of a {@link NodeTypeRegistry}; the message says which rule was broken. */
export type NodeTypeErrorCode = "ERR_REGISTRY";

/**
 * Thrown by `registerNodeType` (and `NodeTypeRegistry.register`) for a class that does not extend Node,
 * a name that is not a valid type name or is taken by another class, or a props schema that does not
 * extend `nodePropsSchema`.
 */
export class NodeTypeError extends CodedError {
  override readonly name = "NodeTypeError";
  declare readonly code: NodeTypeErrorCode;
  constructor(message: string) {
    super("ERR_REGISTRY", message);
  }
}
