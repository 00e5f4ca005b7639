"""The embedded studio renderer: offline cut-out, analysis and procedural scenes on a CPU."""
