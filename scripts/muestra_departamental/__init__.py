"""El generador del libro de la muestra departamental (`scripts/generar_muestra_departamental.py`).

Una entidad ficticia de otra forma que la primera muestra: una oficina nacional y nueve
direcciones departamentales, con recursos propios, servicios por departamento y dos
reformulaciones. Entra su catálogo (`data/muestra-departamental/`, leído por `catalogo`); sale
el libro `data/departamental/poa_2024.xlsx`. Las partes, en el orden en que se usan:

- `catalogo`: los nombres, operaciones, montos y textos del catálogo, como estructuras de Python;
- `estructura`: las unidades y las operaciones, con su programación natural, sus tareas y los
  casos especiales marcados;
- `reformulacion`: lo que cambia cada reformulación en las operaciones, y las filas de su hoja;
- `logros`: lo logrado por cada operación, trimestre a trimestre;
- `presupuesto`: las líneas del presupuesto, con su historia y su devengado;
- `servicios`: las hojas estadisticas e ingresos;
- `verificacion`: las reglas que el libro cumple, sobre las filas que se escriben;
- `libro`: las tablas de cada hoja.

Lo que no depende del catálogo lo comparte con el generador de la primera muestra
(`scripts/muestra/`: lectura, operaciones, montos, servicios y escritura).
"""
