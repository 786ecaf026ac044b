import {Table} from '@alcalzone/ink-table';
import type {ComponentProps} from 'react';

type Row = Record<string, string | number>;

/**
 * ink-table with a rule under the heading only: one line per row, so twelve tracks fit an
 * 80×24 terminal (a rule between every row would double the height).
 */
export class CompactTable extends Table<Row> {
  constructor(props: ComponentProps<typeof Table<Row>>) {
    super(props);
    const rule = this.separator;
    this.separator = (rowProps) => (String(rowProps.key).endsWith('-0') ? rule(rowProps) : (null as unknown as ReturnType<typeof rule>));
  }
}
