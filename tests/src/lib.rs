//! Program-test suites live in tests/.
