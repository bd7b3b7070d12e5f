//! Unit tests of `App::update`: actions in, state and requests out.
