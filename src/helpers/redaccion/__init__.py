"""Cómo se dicen las cifras: frases, cuadros, gráficos y la memoria de cálculo."""
