{#- A share or average that is NULL, not an error, when the denominator is zero; always a float
    (Postgres divides two integers as integers: 1 / 4 is 0). -#}
{% macro safe_divide(numerator, denominator) -%}
    (cast(({{ numerator }}) as double precision) / nullif({{ denominator }}, 0))
{%- endmacro %}
