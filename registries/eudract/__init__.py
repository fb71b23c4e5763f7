"""EudraCT (legacy EU register) for trials under Directive 2001/20/EC: results XML uploads."""
