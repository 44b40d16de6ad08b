//! What a key means: the actions, the user's key map, the bindings table (enabled or why
//! not) and the `:` command table. The footer, `?` help, the palette and the router read it.

pub mod action;
pub mod bindings;
pub mod commands;
pub mod keymap;
