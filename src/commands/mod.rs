//! One module per command: parse → plan → fetch/patch → render.
