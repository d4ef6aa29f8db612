"""El servidor residente de informe-poa y los procesos de ayuda de una corrida: lo que hace
que la corrida siguiente a una corrección no pague otra vez el arranque de Python, de los
kernels y de los procesos que componen el PDF y escriben el anexo.

- `procesos`: los kernels y los grupos de procesos de ayuda (`concurrent.futures`) que usa
  una corrida; los pasos del informe (`helpers.informe`) sólo los piden.
- `cliente`: la orden de informe, que se la pasa al servidor si lo hay y si no corre sola.
- `servidor`: un proceso por usuario que corre las órdenes que le pasan, con lo suyo ya
  arrancado.
- `canal`: el enchufe privado del usuario, los mensajes y la huella.
"""
