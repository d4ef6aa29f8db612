"""El servidor residente y los procesos de ayuda: la corrida siguiente a una corrección no
paga otra vez el arranque de Python, de los kernels y de los procesos de ayuda. `procesos`:
los kernels y los grupos de `concurrent.futures` de una corrida; `cliente`: la orden, que se
la pasa al servidor o corre sola; `servidor`: uno por usuario; `canal`: enchufe y huella.
"""
