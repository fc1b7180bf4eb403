// Tests arrive below.
