//! The loopback ACP API server shared by `ac-sim` and the tests.
