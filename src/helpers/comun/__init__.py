"""Lo que usan todos los módulos: meses y números en castellano, y la memoria que se
suelta, devuelta al sistema."""
