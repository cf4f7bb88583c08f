/**
 * Godot's `Error` enum (the subset scenetree returns), with Godot's numeric values so that code and
 * logs ported from GDScript read the same. Named `ErrorCode` so it does not shadow JavaScript's `Error`.
 */
export enum ErrorCode {
  OK = 0,
  FAILED = 1,
  ERR_UNAVAILABLE = 2,
  ERR_UNCONFIGURED = 3,
  ERR_OUT_OF_MEMORY = 6,
  ERR_FILE_NOT_FOUND = 7,
  ERR_CANT_CONNECT = 25,
  ERR_CONNECTION_ERROR = 27,
  ERR_ALREADY_IN_USE = 22,
  ERR_INVALID_DATA = 30,
  ERR_INVALID_PARAMETER = 31,
  ERR_ALREADY_EXISTS = 32,
  ERR_DOES_NOT_EXIST = 33,
  ERR_TIMEOUT = 24,
  ERR_BUSY = 44,
}
