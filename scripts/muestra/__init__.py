"""El generador del libro de muestra (`scripts/generar_muestra.py`), por partes.

Entra el catálogo de la muestra (`data/muestra/`, leído por `catalogo`) y las cifras
publicadas (`data/referencia/`); sale el libro `data/2024/poa_2024.xlsx`. Las partes, en el
orden en que se usan:

- `comun`: rutas, semilla, meses y trimestres, columnas del contrato, lectura de las cifras
  publicadas y redondeos;
- `catalogo`: los nombres, operaciones y textos de `data/muestra/`, como estructuras de Python;
- `estructura`: las unidades y las operaciones del libro, todavía sin lo logrado;
- `metas`: el avance objetivo de cada unidad por trimestre y la ventana de su ajuste;
- `ajuste`: la programación y lo logrado de cada operación, para que el avance de cada unidad
  dé su meta;
- `reformulacion`: las operaciones dadas de baja y las filas de la hoja reformulaciones;
- `presupuesto`: las líneas del presupuesto, su historia y los ingresos;
- `verificacion`: la comprobación independiente, sobre las filas que se escriben;
- `libro`: las tablas de cada hoja.

Las partes que no leen el catálogo las comparte el generador de la muestra departamental
(`scripts/muestra_departamental/`):

- `lectura`: leer un CSV o un YAML de un catálogo y la periodicidad de una operación;
- `operaciones`: la programación de una operación, su cumplimiento sorteado, el reparto de
  lo logrado en sus meses, el avance de una unidad y la fila de la hoja operaciones;
- `montos`: repartir un monto en meses y el vigente de una línea al cierre de cada mes;
- `servicios`: las filas de las hojas estadisticas e ingresos, mes a mes según su temporada;
- `escritura`: la escritura determinista del .xlsx.
"""
