"""Normalisation shared by the parser and the warehouse: one rule each for classification codes
(codes.py: digits, scheme, level), money (money.py: printed units → 元) and names (names.py).

Both stages import from here, so a code's scheme or a name's key cannot be decided two ways.
The bundled classification lists live in reference/ (loaded by reference.py).
"""
