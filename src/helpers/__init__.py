"""informe-poa: carga, validación y cálculo del seguimiento al POA.

Módulos:
- errores: problemas de entrada con archivo, hoja, fila y columna.
- numeros: lectura de números en formato boliviano, redondeo y formato para mostrar.
- parametros: lectura y validación del archivo de parámetros (YAML).
- datos: lectura y validación del libro del POA (Excel o carpeta de CSV).
- metodologia: las fórmulas de methodology.md, funciones puras sobre DataFrames.
- tablas: las tablas del informe a partir de los datos y los parámetros.
"""
