/**
 * A time of day followed by a UTC offset (`Z`, `+02:00`, `-0500`) at the end of a text: such a
 * timestamp is converted to UTC by the `json_timestamp` macros; one without an offset is read as UTC.
 */
export const TIME_WITH_UTC_OFFSET = String.raw`[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?\s*(Z|[+-][0-9]{2}(:?[0-9]{2})?)`;
