"""Los códigos de salida de `informe-poa` y de sus órdenes (docs/guia-de-uso.md): todo bien,
una falla, un error en los datos o los parámetros de entrada, o la corrida interrumpida."""

EXITO, FALLA, ERROR_DE_ENTRADA, INTERRUMPIDA = 0, 1, 2, 130

# El comienzo de la última línea que escribe un informe que no se generó (con código distinto
# de 0): «No se generó el informe.», o «...; el informe anterior de <carpeta> no cambió.» si
# la carpeta tiene uno. El lote la quita del motivo de cada entidad.
NO_SE_GENERO = "No se generó el informe"
