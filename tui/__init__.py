"""chainstep's app and command line, built on the engine; the engine never imports this."""
