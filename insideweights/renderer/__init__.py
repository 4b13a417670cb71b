"""Turns display lists into pixels: canvas, fonts, equations, effects, camera, sinks."""
